ALTER TABLE `results` ADD `result_name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `services` ADD `result_name_en` text;