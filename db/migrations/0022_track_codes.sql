-- 办件查询 unlock: codes sent by SMS to the mobile recorded on a case (cases.applicant_mobile), so
-- that the applicant can follow the case while public tracking has locked its case number or ID
-- number for the day (TRACK_FAILURES_PER_DAY wrong look-ups, which anyone who knows a case number
-- can cause). Stored as password_resets and mobile_codes are (an HMAC under the row's random salt,
-- 10 minutes, 5 wrong tries, 3 an hour) but owned by the case, not an account, and gone with it;
-- deleted a day later (server/plugins/retention.ts).
CREATE TABLE `track_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_no` text NOT NULL,
	`code_hash` text NOT NULL,
	`salt` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`used_at` text,
	`voided_at` text,
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `track_codes_case_idx` ON `track_codes` (`case_no`,`created_at`);--> statement-breakpoint
CREATE INDEX `track_codes_created_idx` ON `track_codes` (`created_at`);