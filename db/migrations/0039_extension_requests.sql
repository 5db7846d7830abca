CREATE TABLE `extension_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`days` integer NOT NULL,
	`reason` text NOT NULL,
	`requested_by` integer NOT NULL,
	`requested_at` text NOT NULL,
	`outcome` text,
	`decided_by` integer,
	`decided_at` text,
	`decline_reason` text,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `extension_requests_open_idx` ON `extension_requests` (`case_no`) WHERE outcome IS NULL;--> statement-breakpoint
CREATE INDEX `extension_requests_case_idx` ON `extension_requests` (`case_no`,`id`);--> statement-breakpoint
ALTER TABLE `users` ADD `department_head` integer DEFAULT false NOT NULL;