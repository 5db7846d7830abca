/**
 * `npm run audit:verify`: walks the audit log's HMAC chain of DATABASE_URL. Exits 0 when every
 * row holds; 1 and a row id when one does not: that row was edited or inserted, or the row before
 * it was removed; 2 when it cannot verify (no database there, no key). Removing the NEWEST rows
 * leaves a shorter chain that still holds and cannot be detected from the database alone: keep the
 * last line it prints (the newest row and its link) somewhere else and compare.
 *
 * Read-only: opens the database read-only, never migrates, and never creates a database or a key
 * (a fresh key would make every row fail). Safe while the portal is running. Needs the same
 * AUDIT_HMAC_KEY, or the audit.key beside the database.
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { databasePath } from '../db/client'
import { readAuditKey, verifyAuditChain } from '../server/services/audit'

let sqlite: Database.Database | undefined
try {
  const path = databasePath()
  if (!existsSync(path)) throw new Error(`no database at ${path}: check DATABASE_URL`)
  const key = readAuditKey(path)
  if (!key) throw new Error(`no audit key: set AUDIT_HMAC_KEY, or put the site's audit.key beside ${path}`)
  sqlite = new Database(path, { readonly: true, fileMustExist: true })
  const { checked, firstBadId } = verifyAuditChain({ sqlite, path }, key)
  if (firstBadId === null) {
    const newest = sqlite.prepare('SELECT id, hmac FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number, hmac: string } | undefined
    console.log(`audit chain intact: ${checked} rows checked`)
    if (newest) console.log(`newest row ${newest.id}, link ${newest.hmac}`)
  }
  else {
    console.error(`audit chain BROKEN at row ${firstBadId}: ${checked} rows before it hold; row ${firstBadId} was edited or inserted, or the row before it was removed (or the key is not the one that signed the log)`)
    process.exitCode = 1
  }
}
catch (error) {
  console.error(`audit verification failed: ${(error as Error).message}`)
  process.exitCode = 2
}
finally {
  sqlite?.close()
}
