CREATE TABLE `legal_entities` (
	`uscc` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`legal_representative` text NOT NULL,
	`representative_id_number` text,
	`status` text NOT NULL,
	`status_date` text,
	`updated_at` text NOT NULL
);
