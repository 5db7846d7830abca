import type { AuditChainResult } from '../../services/audit'
import { verifyAuditChainInSteps, writeAudit } from '../../services/audit'
import type { PublishedVersionsResult } from '../../services/published-versions-check'
import { checkPublishedVersionsInSteps } from '../../services/published-versions-check'

/**
 * The walk under way: at city scale it takes minutes (a few µs a row, tens of millions of rows),
 * and an auditor who asks again meanwhile joins it instead of starting another one beside it.
 */
let walking: Promise<AuditChainResult & { published: PublishedVersionsResult }> | undefined

async function walk(conn: ReturnType<typeof useConnection>) {
  const chain = await verifyAuditChainInSteps(conn)
  // and the published guides and forms against the hashes their publications' rows record
  return { ...chain, published: await checkPublishedVersionsInSteps(conn) }
}

/**
 * Walks the audit chain: how many rows hold, and the first one that was tampered with; and which
 * published guides or forms were changed since their publication was audited. In steps, so the
 * server keeps answering everyone else while it runs.
 */
export default defineApiHandler(['auditor'], async (event, user) => {
  const conn = useConnection()
  walking ??= walk(conn).finally(() => { walking = undefined })
  const result = await walking
  const changed = result.published.mismatches.map(m => `${m.kind}:${m.code}@${m.version}`)
  inWriteTransaction(() => writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'audit.verify', detail: { checked: result.checked, firstBadId: result.firstBadId, publishedChecked: result.published.checked, publishedChanged: changed }, ip: clientIp(event) }))
  return result
})
