/**
 * A citizen's rights over their account under the Personal Information Protection Law: a copy of
 * everything the portal holds about them (art. 45), and closing the account (注销, art. 47).
 * Both ask for the password again (withReauthentication), because the copy is unmasked and
 * closing cannot be undone.
 *
 * Closing erases what belongs to the account alone. Cases, their events and materials, ratings and
 * e-licences are government records with retention duties of their own (and hold their own copy
 * of the applicant's name, ID number and mobile), so they stay, as does the audit log.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { maskPersonalNumbers } from '../../shared/utils/mask'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import type { PasswordRefusal } from './accounts'
import { withReauthentication } from './own-password'
import { writeAudit } from './audit'
import { caseCorrections, HELD_BY_A_CASE } from './case-corrections'
import { OPEN_STATUSES } from './case-queries'
import { referencedUploads } from './drafts-cleanup'
import { accountReasonSchema } from './staff-accounts'
import { forgetMobileCodes } from './mobile-verification'
import { forgetPasswordResets } from './password-reset'
import { listMyResults } from './results'
import { forgetUpload, removeStoredFile } from './uploads'

export interface Actor { id: number, role: string }

/** What stays of a closed account's name: neither a person's name nor a translation to keep. */
export const CLOSED_ACCOUNT_NAME = '-'
/** A password hash no password matches (not scrypt's format); sign-in also skips closed accounts. */
const CLOSED_PASSWORD_HASH = 'closed'

const json = (text: string | null) => (text === null ? null : JSON.parse(text) as unknown)

export interface PersonalData {
  exportedAt: string
  profile: { username: string, name: string, idNumber: string | null, mobile: string | null, mobileVerifiedAt: string | null, email: string | null, createdAt: string, passwordChangedAt: string | null }
  organizations: { name: string, uscc: string, createdAt: string }[]
  applications: { id: string, serviceCode: string, serviceName: string, status: string, caseNo: string | null, organizationUscc: string | null, answers: unknown, createdAt: string, updatedAt: string }[]
  cases: ExportedCase[]
  messages: { caseNo: string | null, at: string, kind: string, params: unknown, readAt: string | null }[]
  ratings: { caseNo: string, score: number, indicators: unknown, comment: string | null, createdAt: string, rectification: { deadline: string, answer: string | null, answeredAt: string | null } | null }[]
  uploads: { name: string, size: number, mime: string, createdAt: string }[]
  results: { code: string, number: string, caseNo: string, name: string | null, serviceName: string, department: string, holderKind: string, holderName: string, status: string, issuedAt: string, validUntil: string | null, revokedAt: string | null, revokeReason: string | null }[]
  sessions: { device: string | null, ip: string | null, createdAt: string, lastSeenAt: string, endedAt: string | null }[]
  /** what the audit log recorded the person doing: when, what, from where (not the detail, which may name staff) */
  activity: { at: string, action: string, ip: string | null }[]
  /** the SMS notices sent or queued to the person's mobile */
  notifications: { template: string, createdAt: string, sentAt: string | null }[]
}

export interface ExportedCase {
  caseNo: string
  serviceCode: string
  serviceName: string
  department: string
  channel: string
  status: string
  applicant: { name: string, idNumber: string, mobile: string | null }
  organizationUscc: string | null
  receivedDate: string
  submittedAt: string
  deadline: string
  acceptedAt: string | null
  completedAt: string | null
  answers: unknown
  supplementNotice: unknown
  /** `byRole` only: which clerk acted is the department's business, not personal data of the applicant */
  events: { at: string, action: string, fromStatus: string | null, toStatus: string, byRole: string, comment: string | null }[]
  materials: { fieldKey: string, name: string, size: number }[]
  /** 补正记录, oldest first: each round's answers before it, unmasked (the person's own), and the files it replaced */
  corrections: { at: string, changedFields: string[], previousAnswers: Record<string, unknown>, replacedMaterials: { fieldKey: string, name: string, size: number }[] }[]
}

/** Everything the portal holds about one account, read in one snapshot. */
export function collectPersonalData(conn: Connection, userId: number, now = new Date()): PersonalData {
  return conn.sqlite.transaction(() => {
    const q = <T>(sql: string, ...params: unknown[]) => conn.sqlite.prepare(sql).all(...params) as T[]
    const profile = conn.sqlite.prepare(`SELECT username, name, id_number AS idNumber, mobile, mobile_verified_at AS mobileVerifiedAt, email, created_at AS createdAt, password_changed_at AS passwordChangedAt
      FROM users WHERE id = ?`).get(userId) as PersonalData['profile']
    const events = conn.sqlite.prepare(`SELECT at, action, from_status AS fromStatus, to_status AS toStatus, actor_role AS byRole, comment
      FROM case_events WHERE case_no = ? ORDER BY id`)
    const materials = conn.sqlite.prepare(`SELECT m.field_key AS fieldKey, u.name, u.size FROM case_materials m JOIN uploads u ON u.id = m.upload_id
      WHERE m.case_no = ? ORDER BY m.field_key, u.created_at`)
    const user = { id: userId, role: 'citizen', departmentCode: null, idNumber: profile.idNumber, name: profile.name, mobile: profile.mobile }
    // the same rule as "my e-licences", counter cases of the same person included; their cases too
    const results = listMyResults(conn, user, now)
    const cases = q<ExportedCase & { applicantName: string, applicantIdNumber: string, applicantMobile: string | null, answers: string, supplementNotice: string | null }>(`
      SELECT c.case_no AS caseNo, c.service_code AS serviceCode, s.name AS serviceName, d.name AS department, c.channel, c.status,
        c.applicant_name AS applicantName, c.applicant_id_number AS applicantIdNumber, c.applicant_mobile AS applicantMobile, o.uscc AS organizationUscc,
        c.received_date AS receivedDate, c.submitted_at AS submittedAt, c.deadline, c.accepted_at AS acceptedAt, c.completed_at AS completedAt,
        c.answers, c.supplement_notice AS supplementNotice
      FROM cases c JOIN services s ON s.code = c.service_code JOIN departments d ON d.code = c.department_code
        LEFT JOIN organizations o ON o.id = c.organization_id
      WHERE c.case_no IN (SELECT case_no FROM cases WHERE applicant_id = ? UNION SELECT value FROM json_each(?)) ORDER BY c.submitted_at, c.case_no`, userId, JSON.stringify(results.map(r => r.caseNo)))
      .map(({ applicantName, applicantIdNumber, applicantMobile, answers, supplementNotice, ...c }): ExportedCase => ({
        ...c,
        applicant: { name: applicantName, idNumber: applicantIdNumber, mobile: applicantMobile },
        answers: json(answers),
        supplementNotice: json(supplementNotice),
        events: events.all(c.caseNo) as ExportedCase['events'],
        materials: materials.all(c.caseNo) as ExportedCase['materials'],
        corrections: caseCorrections(conn, c.caseNo, JSON.parse(answers) as Record<string, unknown>).map(k => ({
          ...k, replacedMaterials: k.replacedMaterials.map(m => ({ fieldKey: m.fieldKey, name: m.name, size: m.size })),
        })),
      }))
    return {
      exportedAt: now.toISOString(),
      profile,
      organizations: q<PersonalData['organizations'][number]>(`SELECT name, uscc, created_at AS createdAt FROM organizations WHERE user_id = ? ORDER BY id`, userId),
      applications: q<PersonalData['applications'][number] & { answers: string }>(`SELECT a.id, a.service_code AS serviceCode, s.name AS serviceName, a.status,
          a.case_no AS caseNo, o.uscc AS organizationUscc, a.answers, a.created_at AS createdAt, a.updated_at AS updatedAt
        FROM applications a JOIN services s ON s.code = a.service_code LEFT JOIN organizations o ON o.id = a.organization_id
        WHERE a.user_id = ? ORDER BY a.created_at, a.id`, userId).map(a => ({ ...a, answers: json(a.answers) })),
      cases,
      messages: q<PersonalData['messages'][number] & { params: string }>(`SELECT case_no AS caseNo, at, kind, params, read_at AS readAt FROM messages
        WHERE user_id = ? ORDER BY id`, userId).map(m => ({ ...m, params: json(m.params) })),
      ratings: q<{ caseNo: string, score: number, indicators: string, comment: string | null, createdAt: string, deadline: string | null, answer: string | null, answeredAt: string | null }>(`
        SELECT r.case_no AS caseNo, r.score, r.indicators, r.comment, r.created_at AS createdAt, x.deadline, x.answer, x.answered_at AS answeredAt
        FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id WHERE r.user_id = ? ORDER BY r.id`, userId)
        .map(({ deadline, answer, answeredAt, indicators, ...r }) => ({ ...r, indicators: json(indicators), rectification: deadline ? { deadline, answer, answeredAt } : null })),
      uploads: q<PersonalData['uploads'][number]>(`SELECT name, size, mime, created_at AS createdAt FROM uploads WHERE owner_id = ? ORDER BY created_at, id`, userId),
      results: results.map(r => ({
        code: r.code, number: r.number, caseNo: r.caseNo, name: r.resultName, serviceName: r.service.name, department: r.department.name,
        holderKind: r.holder.kind, holderName: r.holder.name, status: r.status, issuedAt: r.issuedAt, validUntil: r.validUntil,
        revokedAt: r.revokedAt, revokeReason: r.revokeReason,
      })),
      sessions: q<PersonalData['sessions'][number]>(`SELECT user_agent AS device, ip, created_at AS createdAt, last_seen_at AS lastSeenAt, ended_at AS endedAt
        FROM sessions WHERE user_id = ? ORDER BY id`, userId),
      activity: q<PersonalData['activity'][number]>('SELECT at, action, ip FROM audit_log WHERE actor_id = ? ORDER BY id', userId),
      notifications: ownNotices(conn, userId, profile.mobile, cases.map(c => c.caseNo), results.map(r => r.code)),
    }
  })()
}

/**
 * The SMS sent to the person about their own account, cases and licences. Not every message to
 * their mobile: registration does not prove the number is theirs, and numbers are recycled, so
 * someone registering with another's number would read that person's notices. A notice is known
 * by its dedupe key (notifications.ts, ratings.ts, results.ts, password-reset.ts): `case:<caseNo>:…`,
 * `rating-prompt:<caseNo>:…`, `result:<code>:…`, `account:<userId>:…`.
 */
function ownNotices(conn: Connection, userId: number, mobile: string | null, caseNos: string[], resultCodes: string[]): PersonalData['notifications'] {
  if (!mobile) return []
  const own = (key: string) => {
    const [kind, id] = key.split(':')
    return ((kind === 'case' || kind === 'rating-prompt') && cases.has(id!)) || (kind === 'result' && results.has(id!)) || (kind === 'account' && id === String(userId))
  }
  const cases = new Set(caseNos)
  const results = new Set(resultCodes)
  const rows = conn.sqlite.prepare(`SELECT dedupe_key AS dedupeKey, template, created_at AS createdAt, sent_at AS sentAt FROM outbox
    WHERE channel = 'sms' AND recipient = ? ORDER BY id`).all(mobile) as ({ dedupeKey: string } & PersonalData['notifications'][number])[]
  return rows.filter(r => own(r.dedupeKey)).map(({ dedupeKey: _k, ...n }) => n)
}

export type ExportResult = { ok: true, data: PersonalData, fileName: string } | PasswordRefusal

/** The person's data as a file, after their password; the audit row says that, not what was in it. */
export async function exportPersonalData(conn: Connection, actor: Actor, password: string, ip: string | null, now = new Date()): Promise<ExportResult> {
  const checked = await withReauthentication(conn, actor, password, ip, 'account.export.failed', () => {
    writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'account.export', subject: `user:${actor.id}`, ip })
  }, now)
  if (!checked.ok) return checked
  return { ok: true, data: collectPersonalData(conn, actor.id, now), fileName: `my-data-${shanghaiDateOf(now)}.json` }
}

export type CloseResult = { ok: true } | { ok: false, reason: 'openCases', caseNos: string[] } | PasswordRefusal

interface Closed { caseNos: string[], files: string[] }

/**
 * Erases the account in one transaction: personal fields, sessions, password-reset and mobile codes, drafts,
 * messages, uploads no case holds, organisations nothing names. Returns the stored files to remove after the commit,
 * or the open cases that stop it.
 */
function eraseAccount(conn: Connection, actor: Actor, ip: string | null, now: Date): Closed {
  const userId = actor.id
  const caseNos = (conn.sqlite.prepare(`SELECT case_no AS caseNo FROM cases WHERE applicant_id = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')})
    ORDER BY submitted_at, case_no`).all(userId, ...OPEN_STATUSES) as { caseNo: string }[]).map(r => r.caseNo)
  if (caseNos.length) {
    writeAudit(conn, { actorId: userId, actorRole: actor.role, action: 'account.close.refused', subject: `user:${userId}`, detail: { openCases: caseNos.length }, ip })
    return { caseNos, files: [] }
  }
  const run = (sql: string, ...params: unknown[]) => conn.sqlite.prepare(sql).run(...params).changes
  const drafts = run(`DELETE FROM applications WHERE user_id = ? AND status = 'draft'`, userId)
  // what a case holds is evidence (a file a correction replaced too: case-corrections.ts), and so is
  // what a submitted application named: drafts-cleanup.ts keeps both too
  const named = referencedUploads(conn, [userId])
  const unused = (conn.sqlite.prepare(`SELECT id, stored_name AS storedName FROM uploads u WHERE owner_id = ?
    AND NOT ${HELD_BY_A_CASE}`).all(userId) as { id: string, storedName: string }[])
    .filter(u => !named.has(u.id))
  const files = unused.filter(u => forgetUpload(conn, u.id)).map(u => u.storedName)
  const messages = run('DELETE FROM messages WHERE user_id = ?', userId)
  const sessions = run('DELETE FROM sessions WHERE user_id = ?', userId)
  // a code sent before closing must not outlive the account (its rows would name it for a day)
  forgetPasswordResets(conn, userId)
  forgetMobileCodes(conn, userId)
  // an organisation a case, licence or submitted application names stays (organizations.user_id
  // is required): it then points at an account that holds nothing personal any more
  const organizations = run(`DELETE FROM organizations WHERE user_id = ?
    AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.organization_id = organizations.id)
    AND NOT EXISTS (SELECT 1 FROM results r WHERE r.holder_org_id = organizations.id)
    AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.organization_id = organizations.id)`, userId)
  const organizationsKept = (conn.sqlite.prepare('SELECT count(*) AS n FROM organizations WHERE user_id = ?').get(userId) as { n: number }).n
  run(`UPDATE users SET name = ?, id_number = NULL, mobile = NULL, mobile_verified_at = NULL, email = NULL, password_hash = ?, failed_logins = 0, locked_until = NULL, closed_at = ?
    WHERE id = ?`, CLOSED_ACCOUNT_NAME, CLOSED_PASSWORD_HASH, now.toISOString(), userId)
  // The username stays, so the audit log still names who acted, unless it is itself a mobile or ID
  // number (chosen before registration refused those): then it would keep the number for good.
  const { username } = conn.sqlite.prepare('SELECT username FROM users WHERE id = ?').get(userId) as { username: string }
  if (maskPersonalNumbers(username) !== username) run('UPDATE users SET username = ? WHERE id = ?', `closed-${userId}`, userId)
  writeAudit(conn, {
    actorId: userId, actorRole: actor.role, action: 'account.close', subject: `user:${userId}`, ip,
    detail: { drafts, uploads: files.length, messages, sessions, organizations, organizationsKept },
  })
  return { caseNos: [], files }
}

/**
 * Closes the account (注销) after the password, unless a case of theirs is still open: it must be
 * finished or withdrawn first, since the department may still need to reach the applicant.
 */
export async function closeAccount(conn: Connection, actor: Actor, password: string, ip: string | null, now = new Date()): Promise<CloseResult> {
  const done = await withReauthentication(conn, actor, password, ip, 'account.close.failed', () => eraseAccount(conn, actor, ip, now), now)
  if (!done.ok) return done
  if (done.value.caseNos.length) return { ok: false, reason: 'openCases', caseNos: done.value.caseNos }
  // the files go only once the rows are committed: a failed transaction must not lose a file still named
  for (const f of done.value.files) await removeStoredFile(f)
  return { ok: true }
}

export type ConsoleCloseResult = { ok: true, userId: number }
  | { ok: false, reason: 'unknownAccount' | 'notCitizen' | 'alreadyClosed' | 'reasonMissing' | 'reasonTooLong' | 'reasonControlChars' | 'reasonPersonalData' }
  | { ok: false, reason: 'openCases', caseNos: string[] }

/**
 * Closes a citizen's account from the console (`npm run user:close`): above all a closure that a
 * restore undid, applied again (docs/privacy.md), since the person cannot close an account that
 * already reads as closed to them. Erased exactly as closing it themselves would, in one write
 * transaction, and refused in the same way while a case of theirs is open; a second audit row, the
 * console's, gives the reason. `account` is a username or `user:<id>`, as the restore lists them.
 */
export async function closeAccountFromConsole(conn: Connection, account: string, reason: string, now = new Date()): Promise<ConsoleCloseResult> {
  const why = accountReasonSchema.safeParse(reason)
  if (!why.success) return { ok: false, reason: why.error.issues[0]!.message as 'reasonMissing' }
  const done = writeTransaction(conn, (): ConsoleCloseResult | Closed & { userId: number } => {
    const id = /^user:(\d+)$/.exec(account)?.[1]
    const row = (id
      ? conn.sqlite.prepare('SELECT id, role, closed_at AS closedAt FROM users WHERE id = ?').get(Number(id))
      : conn.sqlite.prepare('SELECT id, role, closed_at AS closedAt FROM users WHERE lower(username) = lower(?)').get(account)) as { id: number, role: string, closedAt: string | null } | undefined
    if (!row) return { ok: false, reason: 'unknownAccount' }
    if (row.role !== 'citizen') return { ok: false, reason: 'notCitizen' }
    if (row.closedAt) return { ok: false, reason: 'alreadyClosed' }
    const closed = eraseAccount(conn, { id: row.id, role: row.role }, null, now)
    if (!closed.caseNos.length) writeAudit(conn, { actorRole: 'console', action: 'account.close.console', subject: `user:${row.id}`, detail: { reason: why.data } })
    return { ...closed, userId: row.id }
  })
  if ('ok' in done) return done
  if (done.caseNos.length) return { ok: false, reason: 'openCases', caseNos: done.caseNos }
  for (const f of done.files) await removeStoredFile(f)
  return { ok: true, userId: done.userId }
}
