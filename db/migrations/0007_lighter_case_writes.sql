-- Each index on cases and applications is written by every submission (13 pages of the WAL per
-- submission in the benchmark). Two served no query; the drafts-cleanup index now holds drafts only.
DROP INDEX `cases_completed_idx`;--> statement-breakpoint
DROP INDEX `cases_id_number_idx`;--> statement-breakpoint
DROP INDEX `applications_updated_idx`;--> statement-breakpoint
CREATE INDEX `applications_updated_idx` ON `applications` (`updated_at`) WHERE "applications"."status" = 'draft';