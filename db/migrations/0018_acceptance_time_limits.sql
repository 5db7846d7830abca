-- Time limits a manager supervises. A case keeps its acceptance decision (accept, refuse, or an
-- instant item approved on the spot): the Asia/Shanghai day it was made and whether that was after
-- the acceptance deadline (accepting sets a new handling deadline from its own day, so nothing else
-- remembers a late acceptance), and case_daily counts those decisions per day and department. A
-- completed case keeps its handling working days as counted with the calendar of its completion,
-- so that a holiday entered later does not make the recount (npm run db:counts) disagree.
ALTER TABLE `case_daily` ADD `acceptance_decided` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `case_daily` ADD `acceptance_late` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `handling_days` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `acceptance_date` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `accepted_late` integer;--> statement-breakpoint
-- Backfill (hand-written), with the calendar in force now: the built-in State Council days of
-- shared/utils/working-days.ts (2025-2026) overridden by the days administrators entered
-- (calendar_days), every other Monday to Friday a working day. Past deadlines moved by a calendar
-- change were moved to what this calendar gives (calendar-admin.ts), so it reproduces them.
CREATE TEMP TABLE `calendar_rows` (`date` text PRIMARY KEY NOT NULL, `kind` text NOT NULL) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `calendar_rows` (`date`, `kind`) VALUES
  ('2025-01-01', 'holiday'), ('2025-01-28', 'holiday'), ('2025-01-29', 'holiday'), ('2025-01-30', 'holiday'), ('2025-01-31', 'holiday'), ('2025-02-01', 'holiday'),
  ('2025-02-02', 'holiday'), ('2025-02-03', 'holiday'), ('2025-02-04', 'holiday'), ('2025-04-04', 'holiday'), ('2025-04-05', 'holiday'), ('2025-04-06', 'holiday'),
  ('2025-05-01', 'holiday'), ('2025-05-02', 'holiday'), ('2025-05-03', 'holiday'), ('2025-05-04', 'holiday'), ('2025-05-05', 'holiday'), ('2025-05-31', 'holiday'),
  ('2025-06-01', 'holiday'), ('2025-06-02', 'holiday'), ('2025-10-01', 'holiday'), ('2025-10-02', 'holiday'), ('2025-10-03', 'holiday'), ('2025-10-04', 'holiday'),
  ('2025-10-05', 'holiday'), ('2025-10-06', 'holiday'), ('2025-10-07', 'holiday'), ('2025-10-08', 'holiday'), ('2025-01-26', 'workday'), ('2025-02-08', 'workday'),
  ('2025-04-27', 'workday'), ('2025-09-28', 'workday'), ('2025-10-11', 'workday'), ('2026-01-01', 'holiday'), ('2026-01-02', 'holiday'), ('2026-01-03', 'holiday'),
  ('2026-02-15', 'holiday'), ('2026-02-16', 'holiday'), ('2026-02-17', 'holiday'), ('2026-02-18', 'holiday'), ('2026-02-19', 'holiday'), ('2026-02-20', 'holiday'),
  ('2026-02-21', 'holiday'), ('2026-02-22', 'holiday'), ('2026-02-23', 'holiday'), ('2026-04-04', 'holiday'), ('2026-04-05', 'holiday'), ('2026-04-06', 'holiday'),
  ('2026-05-01', 'holiday'), ('2026-05-02', 'holiday'), ('2026-05-03', 'holiday'), ('2026-05-04', 'holiday'), ('2026-05-05', 'holiday'), ('2026-06-19', 'holiday'),
  ('2026-06-20', 'holiday'), ('2026-06-21', 'holiday'), ('2026-09-25', 'holiday'), ('2026-09-26', 'holiday'), ('2026-09-27', 'holiday'), ('2026-10-01', 'holiday'),
  ('2026-10-02', 'holiday'), ('2026-10-03', 'holiday'), ('2026-10-04', 'holiday'), ('2026-10-05', 'holiday'), ('2026-10-06', 'holiday'), ('2026-10-07', 'holiday'),
  ('2026-01-04', 'workday'), ('2026-02-14', 'workday'), ('2026-02-28', 'workday'), ('2026-05-09', 'workday'), ('2026-09-20', 'workday'), ('2026-10-10', 'workday');--> statement-breakpoint
INSERT OR REPLACE INTO `calendar_rows` (`date`, `kind`) SELECT `date`, `kind` FROM `calendar_days`;--> statement-breakpoint
-- Every day from the day before the first receipt to 60 days after the last thing that happened,
-- with `n` the working days up to and including it: the working days in (a, b] are n(b) - n(a),
-- and the k-th working day after a is the first day whose n is n(a) + k.
CREATE TEMP TABLE `days` (`day` text PRIMARY KEY NOT NULL, `n` integer NOT NULL) WITHOUT ROWID;--> statement-breakpoint
WITH RECURSIVE `span`(`first`, `last`) AS (
  SELECT date(min(`received_date`), '-1 day'),
    date(max(max(`received_date`), coalesce(max(`completed_date`), ''), coalesce(max(date(`accepted_at`, '+8 hours')), ''),
      coalesce((SELECT date(max(`at`), '+8 hours') FROM `case_events`), '')), '+60 days')
  FROM `cases`
), `d`(`day`) AS (
  SELECT `first` FROM `span` WHERE `first` IS NOT NULL
  UNION ALL SELECT date(`day`, '+1 day') FROM `d`, `span` WHERE `day` < `span`.`last`
), `w`(`day`, `work`) AS (
  SELECT `day`, coalesce((SELECT r.`kind` = 'workday' FROM `calendar_rows` r WHERE r.`date` = `d`.`day`),
    strftime('%w', `day`) NOT IN ('0', '6')) FROM `d`
)
INSERT INTO `days` (`day`, `n`) SELECT `day`, sum(`work`) OVER (ORDER BY `day`) FROM `w`;--> statement-breakpoint
CREATE INDEX temp.`days_n_idx` ON `days` (`n`, `day`);--> statement-breakpoint
-- The decision: the first acceptance; else the refusal; else an approval without acceptance, which
-- only an instant item can have. Its deadline ran from the receipt, or from the last resubmission
-- before it (a fresh period after corrections): 5 working days (ACCEPTANCE_LIMIT_DAYS), an instant
-- item's the same working day or the next one when received on a day off.
CREATE TEMP TABLE `decisions` AS SELECT c.`case_no`, c.`process_type` AS `type`,
    coalesce(c.`accepted_at`,
      (SELECT min(e.`at`) FROM `case_events` e WHERE e.`case_no` = c.`case_no` AND e.`action` = 'refuse'),
      CASE WHEN c.`status` = 'approved' THEN c.`completed_at` END) AS `at`,
    NULL AS `base`, NULL AS `deadline`
  FROM `cases` c WHERE c.`accepted_at` IS NOT NULL OR c.`status` IN ('not_accepted', 'approved');--> statement-breakpoint
DELETE FROM `decisions` WHERE `at` IS NULL;--> statement-breakpoint
UPDATE `decisions` SET `base` = coalesce(
  (SELECT date(max(e.`at`), '+8 hours') FROM `case_events` e WHERE e.`case_no` = `decisions`.`case_no` AND e.`action` = 'resubmit' AND e.`at` < `decisions`.`at`),
  (SELECT c.`received_date` FROM `cases` c WHERE c.`case_no` = `decisions`.`case_no`));--> statement-breakpoint
UPDATE `decisions` SET `deadline` = CASE WHEN `type` = 'instant'
  THEN (SELECT min(x.`day`) FROM `days` x WHERE x.`n` = (SELECT b.`n` + 1 FROM `days` b WHERE b.`day` = date(`decisions`.`base`, '-1 day')))
  ELSE (SELECT min(x.`day`) FROM `days` x WHERE x.`n` = (SELECT b.`n` + 5 FROM `days` b WHERE b.`day` = `decisions`.`base`)) END;--> statement-breakpoint
UPDATE `cases` SET (`acceptance_date`, `accepted_late`) = (
  SELECT date(d.`at`, '+8 hours'), date(d.`at`, '+8 hours') > d.`deadline` FROM `decisions` d WHERE d.`case_no` = `cases`.`case_no`)
WHERE `case_no` IN (SELECT `case_no` FROM `decisions`);--> statement-breakpoint
UPDATE `cases` SET `handling_days` = (SELECT b.`n` FROM `days` b WHERE b.`day` = `cases`.`completed_date`)
    - (SELECT a.`n` FROM `days` a WHERE a.`day` = `cases`.`received_date`)
  WHERE `status` IN ('approved', 'rejected') AND `completed_date` IS NOT NULL;--> statement-breakpoint
-- case_daily's handling days stay as counted at each completion; the acceptance counts are new
INSERT INTO `case_daily` (`day`, `department_code`, `acceptance_decided`, `acceptance_late`)
  SELECT `acceptance_date`, `department_code`, count(*), coalesce(sum(`accepted_late`), 0) FROM `cases`
  WHERE `acceptance_date` IS NOT NULL GROUP BY `acceptance_date`, `department_code`
  ON CONFLICT (`day`, `department_code`) DO UPDATE SET `acceptance_decided` = excluded.`acceptance_decided`, `acceptance_late` = excluded.`acceptance_late`;--> statement-breakpoint
DROP TABLE `decisions`;--> statement-breakpoint
DROP TABLE `days`;--> statement-breakpoint
DROP TABLE `calendar_rows`;
