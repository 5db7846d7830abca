-- A case returned to the applicant for corrections now keeps the day its clock stopped in
-- suspended_since, as a suspended one does, so that a case returned when already late stays
-- overdue on supervision while it waits (server/services/transitions.ts, supervision.ts). Cases
-- waiting in supplement before this change get the day of their last return (the Shanghai day of
-- its instant), so that those returned late are counted too.
UPDATE `cases` SET `suspended_since` = (
  SELECT date(`e`.`at`, '+8 hours') FROM `case_events` `e`
  WHERE `e`.`case_no` = `cases`.`case_no` AND `e`.`action` = 'return' ORDER BY `e`.`id` DESC LIMIT 1
) WHERE `status` = 'supplement' AND `suspended_since` IS NULL;
