-- 补正记录: each round of corrections keeps what it replaced, the answers before it and the
-- materials it took off the case. A resubmission rewrote both in place, so a file handed in during
-- one round and replaced in the next was named nowhere, and the applicant (or the stale-upload
-- clean-up) could delete it. Earlier corrections cannot be recovered: their rounds start empty.
CREATE TABLE `case_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`event_id` integer NOT NULL,
	`at` text NOT NULL,
	`previous_answers` text NOT NULL,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `case_events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_corrections_case_idx` ON `case_corrections` (`case_no`,`id`);--> statement-breakpoint
CREATE TABLE `case_superseded_materials` (
	`correction_id` integer NOT NULL,
	`case_no` text NOT NULL,
	`upload_id` text NOT NULL,
	`field_key` text NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`correction_id`, `upload_id`, `field_key`),
	FOREIGN KEY (`correction_id`) REFERENCES `case_corrections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_superseded_materials_upload_idx` ON `case_superseded_materials` (`upload_id`);