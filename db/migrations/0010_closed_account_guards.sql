-- A closed account (users.closed_at) takes no new personal data: a request that was signed in
-- before the account was closed and commits after it (a long upload, a draft's first save, an
-- organisation added) is refused, and the server answers it as signed out (server/utils/auth.ts
-- knows the message). Messages about its cases are dropped instead: a clerk's decision, a
-- revocation or an answer to a rating must not fail because the applicant closed their account.
CREATE TRIGGER `uploads_closed_account` BEFORE INSERT ON `uploads`
WHEN (SELECT `closed_at` FROM `users` WHERE `id` = NEW.`owner_id`) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'account closed'); END;--> statement-breakpoint
CREATE TRIGGER `applications_closed_account` BEFORE INSERT ON `applications`
WHEN (SELECT `closed_at` FROM `users` WHERE `id` = NEW.`user_id`) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'account closed'); END;--> statement-breakpoint
CREATE TRIGGER `organizations_closed_account` BEFORE INSERT ON `organizations`
WHEN (SELECT `closed_at` FROM `users` WHERE `id` = NEW.`user_id`) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'account closed'); END;--> statement-breakpoint
CREATE TRIGGER `sessions_closed_account` BEFORE INSERT ON `sessions`
WHEN (SELECT `closed_at` FROM `users` WHERE `id` = NEW.`user_id`) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'account closed'); END;--> statement-breakpoint
CREATE TRIGGER `messages_closed_account` BEFORE INSERT ON `messages`
WHEN (SELECT `closed_at` FROM `users` WHERE `id` = NEW.`user_id`) IS NOT NULL
BEGIN SELECT RAISE(IGNORE); END;
