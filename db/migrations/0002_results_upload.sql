ALTER TABLE `results` ADD `revoked_by` integer;--> statement-breakpoint
ALTER TABLE `results` ADD `upload_id` text REFERENCES uploads(id);