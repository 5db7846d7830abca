-- 回避 (recusal): a staff account may hold its holder's own ID number, set from the console
-- (npm run user:create -- --id-number, npm run user:id-number), so that a clerk cannot take in
-- or decide a case whose applicant is themself. Apart from id_number, by which citizens' accounts
-- are found: a staff account is never found as a citizen.
ALTER TABLE `users` ADD `staff_id_number` text;