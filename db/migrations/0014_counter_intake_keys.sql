-- Counter intakes by the Idempotency-Key their page sent: a retry after a lost answer gets the case
-- already made. Rows are kept a day (server/services/counter.ts, INTAKE_KEY_HOURS).
CREATE TABLE `counter_intake_keys` (
	`clerk_id` integer NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`case_no` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`clerk_id`, `key`),
	FOREIGN KEY (`clerk_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `counter_intake_keys_created_idx` ON `counter_intake_keys` (`created_at`);