-- 注销 (PIPL art. 47): a closed account keeps its row, so its username stays taken and the cases
-- and e-licences that name it keep their link; closed_at stops it signing in.
ALTER TABLE `users` ADD `closed_at` text;
