-- 收件材料: the paper materials a clerk ticks at the counter intake, by their names in the item's
-- guide, so that the case and its printed receipt (行政许可法 art. 32) say what was handed in.
CREATE TABLE `case_paper_materials` (
	`case_no` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`case_no`, `name`),
	FOREIGN KEY (`case_no`) REFERENCES `cases`(`case_no`) ON UPDATE no action ON DELETE no action
);
