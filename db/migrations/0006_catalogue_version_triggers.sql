-- Search results are cached until the catalogue changes: every change to an item (but its use
-- count, which only reorders by popularity), a department or a theme link raises the version.
INSERT INTO `catalogue_version` (`id`, `v`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `services_version_insert` AFTER INSERT ON `services` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `services_version_update` AFTER UPDATE OF `code`, `name`, `name_en`, `department_code`, `audience`, `process_type`, `online_depth`, `status`, `form_version_id`, `details`, `version`, `updated_at` ON `services` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `services_version_delete` AFTER DELETE ON `services` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `departments_version_insert` AFTER INSERT ON `departments` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `departments_version_update` AFTER UPDATE ON `departments` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `departments_version_delete` AFTER DELETE ON `departments` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `service_themes_version_insert` AFTER INSERT ON `service_themes` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `service_themes_version_update` AFTER UPDATE ON `service_themes` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `service_themes_version_delete` AFTER DELETE ON `service_themes` BEGIN UPDATE `catalogue_version` SET `v` = `v` + 1 WHERE `id` = 1; END;
