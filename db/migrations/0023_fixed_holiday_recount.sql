-- The holidays fixed by law (1 January, 1-2 May, 1-3 October) are built into the calendar for
-- every year up to 2099; deadlines stored before counted them as working days in the years no
-- administrator had entered. server/services/calendar-recount.ts recounts the open ones once, at
-- start, in steps: this row says from when deadlines are counted on the new calendar and how far
-- the recount has gone. A database with no open case and no unanswered rectification has nothing
-- stored on the older calendar, and is done at once (a new one, the benchmark's, the tests').
CREATE TABLE `deadline_recounts` (
	`name` text PRIMARY KEY NOT NULL,
	`since` text NOT NULL,
	`case_after` text DEFAULT '' NOT NULL,
	`rectification_after` integer DEFAULT 0 NOT NULL,
	`done_at` text
);
--> statement-breakpoint
INSERT INTO `deadline_recounts` (`name`, `since`, `done_at`)
SELECT 'fixed-holidays', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
	CASE WHEN EXISTS (SELECT 1 FROM `cases` WHERE `status` IN ('submitted', 'accepted', 'suspended', 'supplement'))
		OR EXISTS (SELECT 1 FROM `rectifications` WHERE `answer` IS NULL)
	THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END;
