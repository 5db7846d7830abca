/**
 * Public tracking (办件查询): a case number and the applicant's ID number together show the
 * progress of one case. Nothing personal is returned, and a wrong pair is simply not found, so
 * the endpoint tells a stranger nothing about whether a case number exists.
 */
import { createHmac } from 'node:crypto'
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { parseCaseNo } from '../../shared/utils/case-number'
import { normalizeIdNumber } from '../../shared/utils/id-number'
import { refineIdNumber } from '../../shared/utils/validators'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { auditKey, writeAudit } from './audit'
import { createFailureCounter, trackFailureLimit } from './track-failures'

export interface TrackedCase {
  caseNo: string
  serviceName: string
  serviceNameEn: string
  status: string
  deadline: string
  events: { at: string, action: string, to: string }[]
}

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
export type PairedCase = Omit<TrackedCase, 'events'> & { mobile: string | null }

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

export function trackCase(conn: Connection, caseNo: string, idNumber: string): TrackedCase | null {
  const row = caseOfPair(conn, caseNo, idNumber)
  if (!row) return null
  const events = conn.sqlite.prepare('SELECT at, action, to_status AS "to" FROM case_events WHERE case_no = ? ORDER BY id').all(row.caseNo) as TrackedCase['events']
  // nothing personal: the mobile stays behind
  return { caseNo: row.caseNo, serviceName: row.serviceName, serviceNameEn: row.serviceNameEn, status: row.status, deadline: row.deadline, events }
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
