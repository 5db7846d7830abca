CREATE TABLE `unknown_name_logins` (
	`name_key` text PRIMARY KEY NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `unknown_name_logins_updated_idx` ON `unknown_name_logins` (`updated_at`);