/**
 * `npm run audit:verify`: walks the audit log's HMAC chain. Exits 0 when every row holds, 1 and
 * the id of the first tampered (edited, removed or inserted) row otherwise. Read-only; safe while
 * the portal is running. Needs the same AUDIT_HMAC_KEY (or audit.key beside the database).
 */
import { applyMigrations, openDatabase } from '../db/client'
import { verifyAuditChain } from '../server/services/audit'

const conn = openDatabase()
try {
  applyMigrations(conn, 'db/migrations')
  const { checked, firstBadId } = verifyAuditChain(conn)
  if (firstBadId === null) {
    console.log(`audit chain intact: ${checked} rows checked`)
  }
  else {
    console.error(`audit chain BROKEN at row ${firstBadId}: ${checked} rows before it hold; row ${firstBadId} was edited, or a row before it was removed`)
    process.exitCode = 1
  }
}
catch (error) {
  console.error(`audit verification failed: ${(error as Error).message}`)
  process.exitCode = 2
}
finally {
  conn.sqlite.close()
}
