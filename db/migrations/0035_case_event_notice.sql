-- 一次性告知 (行政许可法 第三十二条第四项): a return's event keeps what its one-time notice asked for,
-- `{ fields, materials }`, which cases.supplement_notice loses at the resubmission, so that a later
-- return of the same stage (before acceptance; from acceptance on) can be held to asking for
-- nothing new (server/services/transitions.ts).
ALTER TABLE `case_events` ADD `notice` text;--> statement-breakpoint
-- Backfill from the audit log, which has kept each return's notice (case.return, detail.notice) since
-- the reasons were audited: the n-th case.return row of a case is its n-th return event, when the
-- two counts agree. Other returns keep null: their notice is unknown, and the rule lets a later
-- return of their stage through as before.
CREATE TEMP TABLE `notices_audited` (`case_no` text NOT NULL, `n` integer NOT NULL, `total` integer NOT NULL, `notice` text,
  PRIMARY KEY (`case_no`, `n`)) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `notices_audited` (`case_no`, `n`, `total`, `notice`)
  SELECT `subject`, row_number() OVER (PARTITION BY `subject` ORDER BY `id`), count(*) OVER (PARTITION BY `subject`),
    json_extract(`detail`, '$.notice')
  FROM `audit_log` WHERE `action` = 'case.return' AND `subject` IS NOT NULL;--> statement-breakpoint
CREATE TEMP TABLE `returns_done` (`id` integer PRIMARY KEY NOT NULL, `case_no` text NOT NULL, `n` integer NOT NULL, `total` integer NOT NULL);--> statement-breakpoint
INSERT INTO `returns_done` (`id`, `case_no`, `n`, `total`)
  SELECT `id`, `case_no`, row_number() OVER (PARTITION BY `case_no` ORDER BY `id`), count(*) OVER (PARTITION BY `case_no`)
  FROM `case_events` WHERE `action` = 'return';--> statement-breakpoint
UPDATE `case_events` SET `notice` = (
  SELECT `a`.`notice` FROM `returns_done` `r`
    JOIN `notices_audited` `a` ON `a`.`case_no` = `r`.`case_no` AND `a`.`n` = `r`.`n` AND `a`.`total` = `r`.`total`
  WHERE `r`.`id` = `case_events`.`id`
) WHERE `id` IN (SELECT `id` FROM `returns_done`);--> statement-breakpoint
DROP TABLE `returns_done`;--> statement-breakpoint
DROP TABLE `notices_audited`;
