-- A cap on the codes one mobile number is sent, whatever for and whoever asks (5 an hour, 10 a
-- day: server/services/sms-codes.ts). Registration takes any mobile, so one address made account
-- after account with a stranger's number and sent it hundreds of codes an hour; the caps per
-- account and per case could not see that. The outbox keeps every SMS with its recipient, also
-- after the account that asked is closed: this index finds a number's code SMSes of the last day
-- without reading months of notices, and leaves the other notices out of it.
CREATE INDEX `outbox_code_recipient_idx` ON `outbox` (`recipient`,`created_at`) WHERE template IN ('account.passwordReset', 'account.mobileVerify', 'case.trackCode');
