import { catalogueIsEmpty, seedCatalogue } from '../../db/seed/load'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedDemoHistory } from '../../db/seed/demo-history'

/** On start: apply migrations, and seed the catalogue (and, in demo mode, the demo data) once. */
export default defineNitroPlugin(() => {
  const conn = useConnection()
  if (!catalogueIsEmpty(conn)) return
  seedCatalogue(conn)
  const demo = process.env.PORTAL_DEMO === '1'
  if (demo) seedDemoAccounts(conn)
  if (demo) seedDemoHistory(conn)
  console.info(JSON.stringify({ level: 'info', event: 'seeded', demo }))
})
