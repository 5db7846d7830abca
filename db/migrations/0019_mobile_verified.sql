-- 手机号核验: when a person proved, by a code sent to it, that the mobile on record is theirs.
-- Registration never checked it, and counter linking matches name, ID number and mobile: someone
-- registering with another's three details received that person's counter cases, scans and
-- licences. Existing accounts start unverified (null) and verify from their account page or by a
-- password reset; until then nothing from the counter is linked to them.
ALTER TABLE `users` ADD `mobile_verified_at` text;