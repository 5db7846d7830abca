ALTER TABLE `case_daily` ADD `completed_extended` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- the completions already counted that had their limit extended, as countFromCases (server/services/daily-counts.ts) counts them
UPDATE `case_daily` SET `completed_extended` = x.n
FROM (SELECT completed_date AS day, department_code AS dept, count(*) AS n FROM cases
  WHERE status IN ('approved', 'rejected') AND completed_date IS NOT NULL AND extended_days > 0 GROUP BY completed_date, department_code) AS x
WHERE x.day = `case_daily`.`day` AND x.dept = `case_daily`.`department_code`;
