CREATE TABLE `case_status_counts` (
	`department_code` text NOT NULL,
	`status` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`department_code`, `status`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `services_summary_idx` ON `services` (`code`,`status`,`department_code`,`use_count`,`name`,`name_en`,`audience`,`online_depth`,`process_type`,`form_version_id`);--> statement-breakpoint
CREATE INDEX `services_rates_idx` ON `services` (`department_code`,`status`,`suitable_online`,`online_depth`,`form_version_id`,`visits`);--> statement-breakpoint
CREATE INDEX `services_not_online_idx` ON `services` (`suitable_online`,`status`,`online_depth`,`department_code`,`code`,`form_version_id`,`name`,`name_en`);