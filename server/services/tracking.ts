/**
 * Public tracking (办件查询): a case number and the applicant's ID number together show the
 * progress of one case. Nothing personal is returned whole, and a wrong pair is simply not found,
 * so the endpoint tells a stranger nothing about whether a case number exists.
 *
 * It is also where an applicant without a portal account (a counter case) reads what the SMS of a
 * return, refusal, rejection or extension points to: the department's reasons, while the case
 * waits on corrections what the one-time notice asks for (by name only, never the answers), and
 * the written documents to print, the applicant's name and numbers on them masked.
 */
import { createHmac } from 'node:crypto'
import { z } from 'zod'
import type { Connection } from '../../db/client'
import type { CaseDocument, DocumentNoticeItems, SupplementNotice } from '../../shared/types/case'
import { parseCaseNo } from '../../shared/utils/case-number'
import { normalizeIdNumber } from '../../shared/utils/id-number'
import { maskPersonalNumbers } from '../../shared/utils/mask'
import { refineIdNumber } from '../../shared/utils/validators'
import { TRANSITIONS } from '../../shared/utils/workflow'
import type { Suspension } from '../../shared/utils/workflow'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { auditKey, writeAudit } from './audit'
import { noticeItems, trackedDocuments } from './case-documents'
import { findCase } from './case-views'
import { createFailureCounter, trackFailureLimit } from './track-failures'

/** One step of the case; `reason` only when the department gave one (a key left out, not null, as the contract's events have none). */
export interface TrackedEvent { at: string, action: string, to: string, reason?: string, suspension?: Suspension, document?: CaseDocument }

/**
 * 一次性告知 as tracking shows it: the reason, the labels of the form's answers to correct (the
 * upload of a material asked for is named once, by the material) and the materials' names;
 * `atCounter`, only when there are any, those of them brought on paper to the counter (a counter
 * case's materials the form has no upload for).
 */
/** `due`: the last day to correct (补正期限), absent on a notice given before periods were */
export type TrackedNotice = { reason: string, due?: string } & DocumentNoticeItems

export interface TrackedCase {
  caseNo: string
  serviceName: string
  serviceNameEn: string
  status: string
  deadline: string
  events: TrackedEvent[]
  /** only while the case waits on the applicant's corrections (status `supplement`) */
  notice?: TrackedNotice
}

/**
 * The department's actions, whose comment is written to the applicant (workflow.ts: the reason of
 * a return, refusal, rejection or extension, and any note a clerk adds). The applicant's own
 * (resubmit, withdraw) are left out: their words about themselves are not for whoever holds the pair.
 */
const DEPARTMENT_ACTIONS: ReadonlySet<string> = new Set(TRANSITIONS.filter(t => t.by === 'clerk').map(t => t.action))

/** The look-up's two fields, the same rules for the query (GET) and the JSON body (POST). */
export function trackInput(text: z.ZodString) {
  return z.object({
    caseNo: text.trim().refine(s => parseCaseNo(s.toUpperCase()) !== null, 'validation.query.caseNo'),
    // a typo (a wrong check character, a birth date that cannot be) is told as such and costs none
    // of the day's failed look-ups: a guesser computes the check character anyway
    idNumber: text.transform(normalizeIdNumber).superRefine(refineIdNumber),
  })
}

/** The case a pair names: what tracking shows of it, and the mobile recorded on it (never shown). */
export type PairedCase = Omit<TrackedCase, 'events' | 'notice'> & { mobile: string | null }

/**
 * The one query that matches a (case number, ID number) pair, for the look-up (trackCase) and for
 * asking for a code (track-unlock.ts): the case it names, or undefined. Both are typed trimmed or
 * not, in either case: the check character X may be typed either way.
 */
export function caseOfPair(conn: Connection, caseNo: string, idNumber: string): PairedCase | undefined {
  return conn.sqlite.prepare(`SELECT c.case_no AS caseNo, s.name AS serviceName, s.name_en AS serviceNameEn, c.status, c.deadline, c.applicant_mobile AS mobile
    FROM cases c JOIN services s ON s.code = c.service_code
    WHERE c.case_no = ? AND upper(c.applicant_id_number) = ?`).get(caseNo.trim().toUpperCase(), idNumber.trim().toUpperCase()) as PairedCase | undefined
}

/**
 * The case a pair names, as tracking shows it, or null. The department's reasons are given as the
 * applicant's own case page shows them, but with ID and mobile numbers typed into them masked
 * (maskPersonalNumbers, as staff read free text): whoever holds the pair is not known to be the
 * applicant, and a clerk's note may carry a number (请核对身份证号码 440305…).
 */
export function trackCase(conn: Connection, caseNo: string, idNumber: string): TrackedCase | null {
  const row = caseOfPair(conn, caseNo, idNumber)
  if (!row) return null
  const rows = conn.sqlite.prepare(`SELECT id, at, action, to_status AS "to", comment, CASE WHEN action = 'suspend' THEN notice ->> '$.suspension' END AS suspension
    FROM case_events WHERE case_no = ? ORDER BY id`).all(row.caseNo) as (Omit<TrackedEvent, 'suspension' | 'document'> & { id: number, comment: string | null, suspension: string | null })[]
  // the written notices and decisions, which an applicant without an account prints from here
  const documents = trackedDocuments(conn, findCase(conn, row.caseNo)!)
  // a suspension's reason and time as the applicant was told them (行政许可法 第四十五条)
  const events = rows.map(({ id, comment, suspension, ...e }): TrackedEvent => ({
    ...e,
    ...(comment && DEPARTMENT_ACTIONS.has(e.action) && { reason: maskPersonalNumbers(comment) }),
    ...(suspension && { suspension: JSON.parse(suspension) as Suspension }),
    ...(documents.has(id) && { document: documents.get(id) }),
  }))
  // the notice stays on the case after it is withdrawn from `supplement`: it is shown only while it asks
  const notice = row.status === 'supplement' ? trackedNotice(conn, row.caseNo) : undefined
  // nothing personal: the mobile stays behind
  return { caseNo: row.caseNo, serviceName: row.serviceName, serviceNameEn: row.serviceNameEn, status: row.status, deadline: row.deadline, events, ...(notice && { notice }) }
}

/** The case's one-time notice by names only: never an answer, which the labels sit beside on the form. */
function trackedNotice(conn: Connection, caseNo: string): TrackedNotice | undefined {
  const row = conn.sqlite.prepare('SELECT form_version_id AS formVersionId, supplement_notice AS notice FROM cases WHERE case_no = ?')
    .get(caseNo) as { formVersionId: number | null, notice: string | null }
  if (!row.notice) return undefined
  const notice = JSON.parse(row.notice) as SupplementNotice
  return { reason: maskPersonalNumbers(notice.comment), ...(notice.due && { due: notice.due }), ...noticeItems(conn, row.formVersionId, notice) }
}

// In memory, not in the database: a restart is not the guesser's to cause and gives back at most
// one day's few failures, while a row per failed look-up would make every anonymous guess a write
// under the one write lock. Full, the two hold some 40 MB (100,000 keys each, measured).
const caseNoFailures = createFailureCounter(100_000)
const idNumberFailures = createFailureCounter(100_000)

/**
 * A keyed hash of a normalised ID number: the counters' key and the audit row's subject. Keyed
 * with the audit key because a plain SHA-256 of an 18-digit ID number is undone by trying them
 * all; whoever holds the key can still check whether a given person's number was locked.
 */
export function idNumberDigest(conn: Connection, idNumber: string): string {
  return createHmac('sha256', auditKey(conn.path, conn.sqlite)).update(`track.idNumber:${idNumber.trim().toUpperCase()}`).digest('hex').slice(0, 32)
}

export type TrackOutcome = { found: TrackedCase } | { locked: true } | { notFound: true }

/**
 * One look-up under the daily failure limits: a case number or an ID number with
 * TRACK_FAILURES_PER_DAY failed look-ups today is locked until Shanghai midnight, for the right
 * pair too. Finding the case does not reset the counts (a guesser who knows one pair would reset
 * them between guesses). Each lock is audited once, when it starts.
 */
export function trackWithLimits(conn: Connection, caseNo: string, idNumber: string, ip: string | null, now = new Date()): TrackOutcome {
  const day = shanghaiDateOf(now)
  const caseKey = caseNo.trim().toUpperCase()
  const idKey = idNumberDigest(conn, idNumber)
  if (caseNoFailures.isLocked(caseKey, day) || idNumberFailures.isLocked(idKey, day)) return { locked: true }
  const found = trackCase(conn, caseKey, idNumber)
  if (found) return { found }
  const detail = { failures: trackFailureLimit(), day }
  if (caseNoFailures.fail(caseKey, day)) {
    writeAudit(conn, { action: 'track.locked', subject: caseKey, detail: { lock: 'caseNo', ...detail }, ip })
  }
  if (idNumberFailures.fail(idKey, day)) {
    writeAudit(conn, { action: 'track.locked', subject: `idNumber:${idKey}`, detail: { lock: 'idNumber', ...detail }, ip })
  }
  return { notFound: true }
}
