import { ensureFoldedSearchIndex } from '../../db/search-index'
import { catalogueIsEmpty, seedCatalogue } from '../../db/seed/load'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedDemoHistory } from '../../db/seed/demo-history'
import { seedDemoLegalEntities } from '../../db/seed/legal-entities'
import { auditKey } from '../services/audit'

/**
 * On start: apply migrations, check the audit log's key, and seed the catalogue (and, in demo mode, the demo data) once; an
 * existing database's search index written before its text was folded is rebuilt now rather than
 * during the first visitor's search.
 */
export default defineNitroPlugin(() => {
  const conn = useConnection()
  // a signed audit log without its key stops the server here, saying what to put back, rather
  // than at the first audited request (server/services/audit.ts, auditKey)
  auditKey(conn.path, conn.sqlite)
  if (!catalogueIsEmpty(conn)) {
    ensureFoldedSearchIndex(conn)
    return
  }
  seedCatalogue(conn)
  const demo = process.env.PORTAL_DEMO === '1'
  if (demo) {
    seedDemoAccounts(conn)
    seedDemoLegalEntities(conn)
  }
  // PORTAL_DEMO_HISTORY=0 keeps the demo accounts but skips the year of sample cases (tests start faster).
  if (demo && process.env.PORTAL_DEMO_HISTORY !== '0') seedDemoHistory(conn)
  console.info(JSON.stringify({ level: 'info', event: 'seeded', demo }))
})
