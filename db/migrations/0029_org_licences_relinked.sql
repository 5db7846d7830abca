-- Repair (hand-written): migration 0015 was edited after it shipped (commit fd0aa84) to also link
-- a company's licence from a counter case, issued without its organisation record, to the
-- organisation of that USCC kept by the account it went to (as issuing one does: results.ts,
-- holderOf). A database migrated before that edit ran 0015 without it and never will again
-- (drizzle runs a migration once), so its licences stay unlinked and serve none of the company's
-- applications. This is that UPDATE once more, for every database: it touches only licences still
-- unlinked that an organisation record fits, so it does nothing to a linked one and can run on any
-- database. Where 0015 already linked them, it links only those whose record the account added
-- since, which 0015 would have linked had it run then: both kinds of database end alike. (0016 was
-- also rewritten after it shipped, b1cfed3, but only to run faster: same result, no repair.)
UPDATE `results` SET `holder_org_id` = (SELECT o.`id` FROM `organizations` o
    WHERE o.`user_id` = `results`.`holder_id` AND o.`uscc` = `results`.`holder_id_number` ORDER BY o.`id` LIMIT 1)
  WHERE `holder_kind` = 'organization' AND `holder_org_id` IS NULL AND `holder_id` IS NOT NULL
    AND EXISTS (SELECT 1 FROM `organizations` o WHERE o.`user_id` = `results`.`holder_id` AND o.`uscc` = `results`.`holder_id_number`);
