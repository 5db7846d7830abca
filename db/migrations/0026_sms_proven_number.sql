-- The cap on codes one mobile number is sent (0025) could be used up by strangers: registration
-- takes any mobile, and ten codes asked by accounts made with someone's number left that person no
-- code for a day, not even to reset the password of the account that had proved the number
-- theirs. A code's SMS now says whether it was asked for such an owner; those codes are counted
-- apart (5 an hour, 10 a day each way: server/services/sms-codes.ts). Rows queued before count
-- with the strangers'.
ALTER TABLE `outbox` ADD `proven_number` integer DEFAULT false NOT NULL;
