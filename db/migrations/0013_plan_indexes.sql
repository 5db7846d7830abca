-- Indexes for statements whose plans read a large table per request (EXPLAIN QUERY PLAN over every
-- statement the unit tests run): a case page's rating prompt (every rating.prompt row of the audit
-- log), the auditor's date filter, a period's ratings for the reports, a person's ratings in their
-- data export, and an organisation's cases and applications (closing an account; the foreign
-- keys' checks). Partial where most rows would not be in them.
CREATE INDEX `applications_organization_idx` ON `applications` (`organization_id`) WHERE organization_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_rating_prompt_idx` ON `audit_log` (`subject`) WHERE action = 'rating.prompt';--> statement-breakpoint
CREATE INDEX `cases_organization_idx` ON `cases` (`organization_id`) WHERE organization_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ratings_created_idx` ON `ratings` (`created_at`);--> statement-breakpoint
CREATE INDEX `ratings_user_idx` ON `ratings` (`user_id`);