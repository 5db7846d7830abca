/**
 * Releasing an ID number someone else's account holds (`npm run user:release-id`). Registration
 * keeps one real-name account per person: the first account to prove its mobile holds the ID
 * number it was registered with (registration.ts, mobile-verification.ts). Proving a mobile does
 * not prove the ID number, so a person may find theirs taken by an account they never made, and
 * then can neither register nor reset a password. After staff have seen the person's ID card at a
 * counter, an administrator releases the number: every open citizen account holding it loses it
 * (and the mobile proof that made it count) and is signed out everywhere, so the person can
 * register. Nothing else of those accounts changes; the release is audited from the console, with
 * the reason, and names the accounts, never the number.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { idNumberProblem, normalizeIdNumber } from '../../shared/utils/id-number'
import { writeAudit } from './audit'
import { endOtherSessions } from './sessions'
import { accountReasonSchema } from './staff-accounts'

export type ReleaseRefusal = { ok: false, reason: 'idNumber' | 'noAccount' | 'reasonMissing' | 'reasonTooLong' | 'reasonControlChars' | 'reasonPersonalData' }
export type ReleaseResult = { ok: true, accounts: { userId: number, username: string, endedSessions: number }[] } | ReleaseRefusal

export function releaseIdNumber(conn: Connection, idNumber: string, reason: string, now = new Date()): ReleaseResult {
  const number = normalizeIdNumber(idNumber)
  if (idNumberProblem(number) !== null) return { ok: false, reason: 'idNumber' }
  const why = accountReasonSchema.safeParse(reason)
  if (!why.success) return { ok: false, reason: why.error.issues[0]!.message as ReleaseRefusal['reason'] }
  return writeTransaction(conn, (): ReleaseResult => {
    // the lower-case x too, for accounts stored before registration upper-cased it (applicant-match.ts)
    const holders = conn.sqlite.prepare(`SELECT id, username FROM users WHERE id_number IN (?, ?) AND role = 'citizen' AND closed_at IS NULL ORDER BY id`)
      .all(number, number.toLowerCase()) as { id: number, username: string }[]
    if (!holders.length) return { ok: false, reason: 'noAccount' }
    const clear = conn.sqlite.prepare('UPDATE users SET id_number = NULL, mobile_verified_at = NULL WHERE id = ?')
    const accounts = holders.map((h) => {
      clear.run(h.id)
      const endedSessions = endOtherSessions(conn, h.id, null, now)
      writeAudit(conn, { actorRole: 'console', action: 'account.idNumber.release', subject: `user:${h.id}`, detail: { reason: why.data, endedSessions } })
      return { userId: h.id, username: h.username, endedSessions }
    })
    return { ok: true, accounts }
  })
}
