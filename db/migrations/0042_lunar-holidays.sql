-- The holidays the law fixes by the lunar calendar and the solar terms (the Spring Festival's four
-- days from New Year's Eve, Qingming, the Dragon Boat and Mid-Autumn Festivals) are built into the
-- calendar for the years after the last State Council notice, as 0023 did for 1 January, 1-2 May
-- and 1-3 October: deadlines stored before counted them as working days in the years no
-- administrator had entered. server/services/calendar-recount.ts recounts the open ones once, at
-- start, in steps, from this row; a database with nothing open is done at once.
INSERT INTO `deadline_recounts` (`name`, `since`, `done_at`)
SELECT 'lunar-holidays', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
	CASE WHEN EXISTS (SELECT 1 FROM `cases` WHERE `status` IN ('submitted', 'accepted', 'suspended', 'supplement'))
		OR EXISTS (SELECT 1 FROM `rectifications` WHERE `answer` IS NULL)
	THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END;
