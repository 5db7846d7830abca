-- A licence as issued: the department that approved its case, the result's name and the item's
-- names are kept on the result, so that moving an item to another department or renaming it
-- (a new guide version, an import) changes neither who issued a licence nor what it is called.
ALTER TABLE `results` ADD `department_code` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `results` ADD `result_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `results` ADD `service_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `results` ADD `service_name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Backfill (hand-written): the issuing department is the case's (the one whose clerk approved it);
-- the names are the best known, the item's as it is now.
UPDATE `results` SET `department_code` = c.`department_code`
  FROM `cases` c WHERE c.`case_no` = `results`.`case_no`;--> statement-breakpoint
UPDATE `results` SET `result_name` = COALESCE(s.`result_name`, ''), `service_name` = s.`name`, `service_name_en` = s.`name_en`
  FROM `services` s WHERE s.`code` = `results`.`service_code`;--> statement-breakpoint
-- A company's licence from a counter case was issued without its organisation record; it is now
-- linked to the organisation of that USCC kept by the account it went to, as receiving one now
-- does (results.ts, holderOf), so that it serves that organisation's applications. Without such a
-- record it stays unlinked, and serves none.
UPDATE `results` SET `holder_org_id` = (SELECT o.`id` FROM `organizations` o
    WHERE o.`user_id` = `results`.`holder_id` AND o.`uscc` = `results`.`holder_id_number` ORDER BY o.`id` LIMIT 1)
  WHERE `holder_kind` = 'organization' AND `holder_org_id` IS NULL AND `holder_id` IS NOT NULL;
