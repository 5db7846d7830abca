-- A case keeps the terms the applicant was given when it was received: the guide version (the
-- materials a one-time notice may ask for) and the promised and legal time limits (the handling
-- deadline set on acceptance). An editor publishing a shorter or longer limit, or renaming a
-- material, changes them for new cases only. receiveCase writes them.
ALTER TABLE `cases` ADD `guide_version` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `promised_limit_days` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `legal_limit_days` integer;--> statement-breakpoint
-- Backfill (hand-written): the guide version published last at or before the case was submitted;
-- for a case older than every kept version (an item's first version is kept only once a later one
-- supersedes it, dated when that happened), the oldest kept one; for an item never republished,
-- its version now. Then that version's limits as its snapshot keeps them, or the item's now. The
-- kept versions' limits are read out of their JSON once, into a temporary table, not once per
-- case: at a million cases that took 23-28 s of start-up, this about 6 s.
CREATE TEMP TABLE `kept_terms` AS SELECT `service_code` AS `code`, `version`, `published_at` AS `at`,
  json_extract(`guide`, '$.promisedLimitDays') AS `promised`, json_extract(`guide`, '$.legalLimitDays') AS `legal`
  FROM `service_versions` WHERE `status` <> 'draft';--> statement-breakpoint
CREATE INDEX temp.`kept_terms_at_idx` ON `kept_terms` (`code`, `at`);--> statement-breakpoint
CREATE INDEX temp.`kept_terms_version_idx` ON `kept_terms` (`code`, `version`);--> statement-breakpoint
UPDATE `cases` SET `guide_version` = COALESCE(
  (SELECT max(k.`version`) FROM `kept_terms` k WHERE k.`code` = `cases`.`service_code` AND k.`at` <= `cases`.`submitted_at`),
  (SELECT min(k.`version`) FROM `kept_terms` k WHERE k.`code` = `cases`.`service_code`),
  (SELECT s.`version` FROM `services` s WHERE s.`code` = `cases`.`service_code`));--> statement-breakpoint
UPDATE `cases` SET (`promised_limit_days`, `legal_limit_days`) = (
  SELECT coalesce(k.`promised`, s.`promised_limit_days`), coalesce(k.`legal`, s.`legal_limit_days`)
  FROM `services` s LEFT JOIN `kept_terms` k ON k.`code` = s.`code` AND k.`version` = `cases`.`guide_version`
  WHERE s.`code` = `cases`.`service_code`);--> statement-breakpoint
DROP TABLE `kept_terms`;--> statement-breakpoint
-- Hardening: catalogue_version rises on a change to any column of an item, not only to the twelve
-- 0006 listed (a change to the type, the limits, visits, location, phones, result name or
-- suitability alone would have left search results and kept public pages stale). The one
-- exception stays a change to use_count alone, which receiveCase makes on every submission and
-- which only reorders by popularity (the caches let that age out within a minute). No column list:
-- a column added later raises it too, unless an update changes it together with use_count only.
DROP TRIGGER `services_version_update`;--> statement-breakpoint
CREATE TRIGGER `services_version_update` AFTER UPDATE ON `services`
WHEN OLD.`use_count` IS NEW.`use_count`
  OR (OLD.`code`, OLD.`basic_code`, OLD.`name`, OLD.`name_en`, OLD.`department_code`, OLD.`type`, OLD.`audience`, OLD.`process_type`,
      OLD.`online_depth`, OLD.`suitable_online`, OLD.`unsuitable_reason`, OLD.`visits`, OLD.`visits_reason`, OLD.`legal_limit_days`,
      OLD.`promised_limit_days`, OLD.`details`, OLD.`location`, OLD.`hours`, OLD.`consult_phone`, OLD.`complaint_phone`, OLD.`result_name`,
      OLD.`status`, OLD.`form_version_id`, OLD.`version`, OLD.`updated_at`)
  IS NOT (NEW.`code`, NEW.`basic_code`, NEW.`name`, NEW.`name_en`, NEW.`department_code`, NEW.`type`, NEW.`audience`, NEW.`process_type`,
      NEW.`online_depth`, NEW.`suitable_online`, NEW.`unsuitable_reason`, NEW.`visits`, NEW.`visits_reason`, NEW.`legal_limit_days`,
      NEW.`promised_limit_days`, NEW.`details`, NEW.`location`, NEW.`hours`, NEW.`consult_phone`, NEW.`complaint_phone`, NEW.`result_name`,
      NEW.`status`, NEW.`form_version_id`, NEW.`version`, NEW.`updated_at`)
BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
