-- Catalogue search: FTS5 with the trigram tokenizer finds any substring of three or more characters.
CREATE VIRTUAL TABLE `services_fts` USING fts5(`code` UNINDEXED, `name`, `body`, tokenize = 'trigram');
--> statement-breakpoint
-- The audit log is append-only: the database itself refuses to change or remove a row.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
