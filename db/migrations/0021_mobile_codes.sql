-- 手机号核验: codes sent by SMS to the mobile on record, for a signed-in citizen to prove it is
-- theirs (users.mobile_verified_at, 0019); counter cases, scans and licences go only to a verified
-- account. Stored as password_resets are (an HMAC under the row's random salt, 10 minutes, 5 wrong
-- tries), in a table of their own so that such a code can never reset a password; deleted a day
-- later (server/plugins/retention.ts) or when the account is closed (server/services/personal-data.ts).
CREATE TABLE `mobile_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`salt` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`used_at` text,
	`voided_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `mobile_codes_user_idx` ON `mobile_codes` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `mobile_codes_created_idx` ON `mobile_codes` (`created_at`);