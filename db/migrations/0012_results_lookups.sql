-- Lookups in results that ran over every licence the city has issued: each file of a submission
-- (is it a licence's copy, whose, still valid?), "my e-licences" for a counter case's licence with
-- no linked account (by the holder's ID number), and an organisation's licences.
CREATE INDEX `results_upload_idx` ON `results` (`upload_id`) WHERE upload_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `results_unlinked_holder_idx` ON `results` (`holder_id_number`) WHERE holder_id IS NULL;--> statement-breakpoint
CREATE INDEX `results_holder_org_idx` ON `results` (`holder_org_id`) WHERE holder_org_id IS NOT NULL;