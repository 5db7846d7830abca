import { ensureFoldedSearchIndex } from '../../db/search-index'
import { catalogueIsEmpty, seedCatalogue } from '../../db/seed/load'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedDemoHistory } from '../../db/seed/demo-history'

/**
 * On start: apply migrations, and seed the catalogue (and, in demo mode, the demo data) once; an
 * existing database's search index written before its text was folded is rebuilt now rather than
 * during the first visitor's search.
 */
export default defineNitroPlugin(() => {
  const conn = useConnection()
  if (!catalogueIsEmpty(conn)) {
    ensureFoldedSearchIndex(conn)
    return
  }
  seedCatalogue(conn)
  const demo = process.env.PORTAL_DEMO === '1'
  if (demo) seedDemoAccounts(conn)
  // PORTAL_DEMO_HISTORY=0 keeps the demo accounts but skips the year of sample cases (tests start faster).
  if (demo && process.env.PORTAL_DEMO_HISTORY !== '0') seedDemoHistory(conn)
  console.info(JSON.stringify({ level: 'info', event: 'seeded', demo }))
})
