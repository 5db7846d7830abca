import { verifyAuditChain, writeAudit } from '../../services/audit'

/** Walks the audit chain: how many rows hold, and the first one that was tampered with. */
export default defineApiHandler(['auditor'], (event, user) => {
  const conn = useConnection()
  const result = verifyAuditChain(conn)
  inWriteTransaction(() => writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'audit.verify', detail: { checked: result.checked, firstBadId: result.firstBadId }, ip: clientIp(event) }))
  return result
})
