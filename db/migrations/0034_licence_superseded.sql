ALTER TABLE `results` ADD `superseded_by` text;--> statement-breakpoint
CREATE INDEX `results_holder_title_idx` ON `results` (`holder_id_number`,`result_name`) WHERE revoked_at IS NULL;