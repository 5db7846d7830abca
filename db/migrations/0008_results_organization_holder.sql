ALTER TABLE `results` ADD `holder_kind` text DEFAULT 'person' NOT NULL;--> statement-breakpoint
ALTER TABLE `results` ADD `holder_org_id` integer REFERENCES organizations(id);--> statement-breakpoint
-- Backfill (hand-written): results issued before this migration named the person who applied even
-- when the case was made for an organisation. The organisation becomes the holder, with its name
-- and USCC as on its record; holder_id stays the account that manages it, and the person's own
-- name and ID number remain on the case (applicant_name, applicant_id_number).
UPDATE `results` SET `holder_kind` = 'organization', `holder_org_id` = o.`id`, `holder_name` = o.`name`, `holder_id_number` = o.`uscc`
  FROM `cases` c JOIN `organizations` o ON o.`id` = c.`organization_id`
  WHERE c.`case_no` = `results`.`case_no`;
