CREATE TABLE `applications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`service_code` text NOT NULL,
	`form_version_id` integer NOT NULL,
	`organization_id` integer,
	`answers` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`case_no` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`form_version_id`) REFERENCES `form_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `applications_user_idx` ON `applications` (`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `applications_updated_idx` ON `applications` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` integer,
	`actor_role` text,
	`action` text NOT NULL,
	`subject` text,
	`detail` text,
	`ip` text,
	`hmac` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_action_idx` ON `audit_log` (`action`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_id`);--> statement-breakpoint
CREATE TABLE `calendar_days` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE TABLE `case_daily` (
	`day` text NOT NULL,
	`department_code` text NOT NULL,
	`received` integer DEFAULT 0 NOT NULL,
	`received_online` integer DEFAULT 0 NOT NULL,
	`completed` integer DEFAULT 0 NOT NULL,
	`completed_on_time` integer DEFAULT 0 NOT NULL,
	`handling_days` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `department_code`)
);
--> statement-breakpoint
CREATE TABLE `case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`at` text NOT NULL,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor_id` integer,
	`actor_role` text NOT NULL,
	`comment` text,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_events_case_idx` ON `case_events` (`case_no`,`id`);--> statement-breakpoint
CREATE TABLE `case_materials` (
	`case_no` text NOT NULL,
	`upload_id` text NOT NULL,
	`field_key` text NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`case_no`, `upload_id`, `field_key`),
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_materials_upload_idx` ON `case_materials` (`upload_id`);--> statement-breakpoint
CREATE TABLE `case_sequences` (
	`day` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`case_no` text PRIMARY KEY NOT NULL,
	`application_id` text,
	`service_code` text NOT NULL,
	`department_code` text NOT NULL,
	`form_version_id` integer,
	`applicant_id` integer,
	`organization_id` integer,
	`applicant_name` text NOT NULL,
	`applicant_id_number` text NOT NULL,
	`applicant_mobile` text,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`process_type` text NOT NULL,
	`answers` text NOT NULL,
	`received_date` text NOT NULL,
	`submitted_at` text NOT NULL,
	`deadline` text NOT NULL,
	`accepted_at` text,
	`completed_at` text,
	`completed_date` text,
	`suspended_days` integer DEFAULT 0 NOT NULL,
	`suspended_since` text,
	`supplement_notice` text,
	`created_by` integer,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`form_version_id`) REFERENCES `form_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`applicant_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cases_applicant_idx` ON `cases` (`applicant_id`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `cases_dept_queue_idx` ON `cases` (`department_code`,`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `cases_dept_deadline_idx` ON `cases` (`department_code`,`deadline`);--> statement-breakpoint
CREATE INDEX `cases_received_idx` ON `cases` (`received_date`,`department_code`,`channel`);--> statement-breakpoint
CREATE INDEX `cases_completed_idx` ON `cases` (`completed_date`,`department_code`);--> statement-breakpoint
CREATE INDEX `cases_status_deadline_idx` ON `cases` (`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `cases_id_number_idx` ON `cases` (`applicant_id_number`);--> statement-breakpoint
CREATE TABLE `departments` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `form_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service_code` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`status` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`published_by` integer,
	`published_at` text,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `form_versions_service_version_idx` ON `form_versions` (`service_code`,`version`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`case_no` text,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`read_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_user_idx` ON `messages` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`uscc` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_user_uscc_idx` ON `organizations` (`user_id`,`uscc`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`template` text NOT NULL,
	`params` text NOT NULL,
	`created_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`sent_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_idx` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`sent_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`user_id` integer NOT NULL,
	`service_code` text NOT NULL,
	`department_code` text NOT NULL,
	`score` integer NOT NULL,
	`indicators` text NOT NULL,
	`comment` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_case_idx` ON `ratings` (`case_no`);--> statement-breakpoint
CREATE INDEX `ratings_dept_idx` ON `ratings` (`department_code`,`created_at`);--> statement-breakpoint
CREATE TABLE `rectifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rating_id` integer NOT NULL,
	`department_code` text NOT NULL,
	`deadline` text NOT NULL,
	`answer` text,
	`answered_at` text,
	`answered_date` text,
	`answered_by` integer,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rectifications_rating_idx` ON `rectifications` (`rating_id`);--> statement-breakpoint
CREATE INDEX `rectifications_dept_idx` ON `rectifications` (`department_code`);--> statement-breakpoint
CREATE TABLE `results` (
	`code` text PRIMARY KEY NOT NULL,
	`case_no` text NOT NULL,
	`service_code` text NOT NULL,
	`holder_id` integer,
	`holder_name` text NOT NULL,
	`holder_id_number` text NOT NULL,
	`number` text NOT NULL,
	`issued_at` text NOT NULL,
	`valid_until` text,
	`revoked_at` text,
	`revoke_reason` text,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`holder_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `results_case_idx` ON `results` (`case_no`);--> statement-breakpoint
CREATE INDEX `results_holder_idx` ON `results` (`holder_id`);--> statement-breakpoint
CREATE TABLE `service_themes` (
	`service_code` text NOT NULL,
	`theme_code` text NOT NULL,
	PRIMARY KEY(`service_code`, `theme_code`),
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`theme_code`) REFERENCES `themes`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_themes_theme_idx` ON `service_themes` (`theme_code`);--> statement-breakpoint
CREATE TABLE `service_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service_code` text NOT NULL,
	`version` integer NOT NULL,
	`guide` text NOT NULL,
	`status` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`published_by` integer,
	`published_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_versions_service_version_idx` ON `service_versions` (`service_code`,`version`);--> statement-breakpoint
CREATE TABLE `services` (
	`code` text PRIMARY KEY NOT NULL,
	`basic_code` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`department_code` text NOT NULL,
	`type` text NOT NULL,
	`audience` text NOT NULL,
	`process_type` text NOT NULL,
	`online_depth` integer NOT NULL,
	`suitable_online` integer NOT NULL,
	`unsuitable_reason` text,
	`visits` integer NOT NULL,
	`visits_reason` text,
	`legal_limit_days` integer NOT NULL,
	`promised_limit_days` integer NOT NULL,
	`details` text NOT NULL,
	`location` text NOT NULL,
	`hours` text NOT NULL,
	`consult_phone` text NOT NULL,
	`complaint_phone` text NOT NULL,
	`result_name` text,
	`status` text DEFAULT 'published' NOT NULL,
	`form_version_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`use_count` integer DEFAULT 0 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `services_department_idx` ON `services` (`department_code`);--> statement-breakpoint
CREATE INDEX `services_use_idx` ON `services` (`use_count`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`ended_at` text,
	`user_agent` text,
	`ip` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_idx` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `themes` (
	`code` text PRIMARY KEY NOT NULL,
	`audience` text NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` integer NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`mime` text NOT NULL,
	`sha256` text NOT NULL,
	`stored_name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `uploads_owner_idx` ON `uploads` (`owner_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`department_code` text,
	`name` text NOT NULL,
	`id_number` text,
	`mobile` text,
	`email` text,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`password_changed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_idx` ON `users` (lower("username"));--> statement-breakpoint
CREATE INDEX `users_id_number_idx` ON `users` (`id_number`);