-- 忘记密码: codes sent by SMS to the mobile on record, to set a new password without the old one.
-- Only an HMAC of each code under its row's random salt is stored; a row lives 10 minutes and 5
-- wrong tries, and is deleted a day later (server/plugins/retention.ts) or when the account is
-- closed (server/services/password-reset.ts).
CREATE TABLE `password_resets` (
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
CREATE INDEX `password_resets_user_idx` ON `password_resets` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `password_resets_created_idx` ON `password_resets` (`created_at`);