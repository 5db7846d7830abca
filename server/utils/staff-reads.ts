import type { H3Event } from 'h3'
import type { SessionUser } from '../services/sessions'
import { writeAudit } from '../services/audit'

/**
 * Staff opening a person's records leave a trace: a clerk or manager reading a case (every answer,
 * unmasked bank details among them) or downloading an uploaded document (scans of ID cards)
 * writes one audit row, as does opening someone's e-licence, its page or its PDF (result.read,
 * with detail.format), and as revealing an ID number does (pii.reveal). PIPL art. 51 asks for
 * measures against unauthorised access, and the classified protection's security audit for a
 * record of who read what. The person's own reads are not recorded. Through the group commit:
 * a clerk working through a queue reads many cases, and their rows share disk syncs. A HEAD shows
 * nothing and writes no row (answersHeadersOnly).
 */
export async function auditStaffRead(event: H3Event, user: SessionUser, action: 'case.read' | 'upload.read' | 'result.read', subject: string, detail?: Record<string, unknown>): Promise<void> {
  if (user.role === 'citizen' || answersHeadersOnly(event)) return
  await inGroupCommit(() => writeAudit(useConnection(), { actorId: user.id, actorRole: user.role, action, subject, detail, ip: clientIp(event) }))
}
