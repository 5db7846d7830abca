import type { AuditChainResult } from '../../services/audit'
import { verifyAuditChainInSteps, writeAudit } from '../../services/audit'

/**
 * The walk under way: at city scale it takes minutes (a few µs a row, tens of millions of rows),
 * and an auditor who asks again meanwhile joins it instead of starting another one beside it.
 */
let walking: Promise<AuditChainResult> | undefined

/**
 * Walks the audit chain: how many rows hold, and the first one that was tampered with. In steps
 * (verifyAuditChainInSteps), so the server keeps answering everyone else while it runs.
 */
export default defineApiHandler(['auditor'], async (event, user) => {
  const conn = useConnection()
  walking ??= verifyAuditChainInSteps(conn).finally(() => { walking = undefined })
  const result = await walking
  inWriteTransaction(() => writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'audit.verify', detail: { checked: result.checked, firstBadId: result.firstBadId }, ip: clientIp(event) }))
  return result
})
