-- 停用: a staff account disabled from the console (npm run user:disable) keeps its row, its
-- username and its place in the audit log; disabled_at stops it signing in until it is enabled
-- again. Not closed_at, which is a citizen's own 注销: that one erases and is never undone.
ALTER TABLE `users` ADD `disabled_at` text;
