-- case_status_counts follows every insert, status change and removal of a case, whatever code
-- path makes it (intake, workflow, counter, import, restore), inside the same transaction.
CREATE TRIGGER `cases_status_count_insert` AFTER INSERT ON `cases` BEGIN
  INSERT INTO `case_status_counts` (`department_code`, `status`, `n`) VALUES (NEW.`department_code`, NEW.`status`, 1)
    ON CONFLICT (`department_code`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cases_status_count_update` AFTER UPDATE OF `status`, `department_code` ON `cases`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`department_code` IS NOT NEW.`department_code` BEGIN
  UPDATE `case_status_counts` SET `n` = `n` - 1 WHERE `department_code` = OLD.`department_code` AND `status` = OLD.`status`;
  INSERT INTO `case_status_counts` (`department_code`, `status`, `n`) VALUES (NEW.`department_code`, NEW.`status`, 1)
    ON CONFLICT (`department_code`, `status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cases_status_count_delete` AFTER DELETE ON `cases` BEGIN
  UPDATE `case_status_counts` SET `n` = `n` - 1 WHERE `department_code` = OLD.`department_code` AND `status` = OLD.`status`;
END;
--> statement-breakpoint
-- The cases already there.
INSERT INTO `case_status_counts` (`department_code`, `status`, `n`)
  SELECT `department_code`, `status`, count(*) FROM `cases` GROUP BY `department_code`, `status`;
