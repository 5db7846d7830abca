/**
 * The applicant's way through the daily lock of public tracking (tracking.ts). Anyone who knows a
 * case number can lock it for the day with five wrong ID numbers, and then the right pair answers
 * 429 too; an applicant without a linked, verified account had no way to follow the case until
 * midnight. Now the pair can ask for a 6-digit code by SMS to the mobile recorded on the case
 * (cases.applicant_mobile), and the pair with that code shows the case, locked or not.
 *
 * Neither step tells a stranger anything, by its answer or by its time: asking answers at once and
 * alike, and does its work afterwards; a wrong code answers as a wrong pair, and both cost the same
 * write. Neither step counts into the daily failures nor spends them: a code is only sent for the
 * right pair, and only the code's holder gets as far as the ID number being compared, so the pair
 * stays as hard to guess as before; the codes have limits of their own (sms-codes.ts: 10 minutes,
 * 5 wrong tries, 3 codes an hour per case).
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { writeAudit } from './audit'
import { CODE_MINUTES, codeMatches, countWrongCode, forgetOldCodes, hourlyCapUntil, isExpired, issueCode, liveCode, queueCodeSms, useCode } from './sms-codes'
import type { TrackedCase } from './tracking'
import { caseOfPair, trackCase } from './tracking'

/** The SMS's outbox template; its params are `{ caseNo, code, minutes }`. */
export const TRACK_CODE_TEMPLATE = 'case.trackCode'
export const TRACK_CODE_MINUTES = CODE_MINUTES

export interface TrackPair { caseNo: string, idNumber: string }

/** What became of a request for a code; the handler answers the same whatever it is. */
export type TrackCodeOutcome = 'sent' | 'noMatch' | 'noMobile' | 'hourlyLimit'
export type TrackUnlockOutcome = { found: TrackedCase } | { notFound: true }

/**
 * Asks for a code: when the pair matches a case with a mobile on record and the case had fewer than
 * 3 codes in the last hour, its earlier live codes are voided, a new one is stored (its HMAC only)
 * and an SMS with it is queued to that mobile, in one write transaction audited `track.code`
 * (without the code or the mobile). Otherwise nothing is written. Called after the answer has gone
 * (server/api/track/code.post.ts): a matching pair costs a write and a disk sync, and an answer
 * waiting for them would tell a guesser by its time that the pair was right.
 */
export function requestTrackCode(conn: Connection, pair: TrackPair, ip: string | null, now = new Date()): TrackCodeOutcome {
  const found = caseOfPair(conn, pair.caseNo, pair.idNumber)
  if (!found) return 'noMatch'
  const { caseNo } = found
  if (!found.mobile) return 'noMobile'
  return writeTransaction(conn, (): TrackCodeOutcome => {
    if (hourlyCapUntil(conn, 'track_codes', caseNo, now)) return 'hourlyLimit'
    const at = now.toISOString()
    const { code, rowId } = issueCode(conn, 'track_codes', caseNo, now)
    // `case:<caseNo>:…`: the SMS is the applicant's, in the copy of their data (personal-data.ts)
    queueCodeSms(conn, 'track_codes', caseNo, `case:${caseNo}:track:${rowId}:sms`, TRACK_CODE_TEMPLATE, { caseNo, code, minutes: CODE_MINUTES }, at)
    writeAudit(conn, { action: 'track.code', subject: caseNo, ip })
    return 'sent'
  })
}

/**
 * A look-up with a code, which the daily locks do not stop: the case is found when the code is the
 * case's newest live one, unexpired, and the pair matches; the code is then used (it works once),
 * audited `track.unlock`. The code is checked before the ID number, so that only whoever holds the
 * phone learns anything about the pair; and every outcome is one write transaction with its audit
 * row (`track.unlock.failed` with the reason, a wrong code given with the right pair counting a
 * wrong try, the fifth voiding it),
 * so that the time an answer takes, a disk sync or none, cannot tell a guesser that a code is live
 * (which only the right pair can have asked for) or that the pair was right.
 */
export function trackWithCode(conn: Connection, input: TrackPair & { code: string }, ip: string | null, now = new Date()): TrackUnlockOutcome {
  const caseNo = input.caseNo.trim().toUpperCase()
  const at = now.toISOString()
  return writeTransaction(conn, (): TrackUnlockOutcome => {
    const row = liveCode(conn, 'track_codes', caseNo)
    const live = row && !isExpired(row, now) ? row : undefined
    if (!live || !codeMatches(input.code, live)) {
      // a wrong code counts against the live one only with the right pair: a stranger who knows
      // the case number alone (they run in sequence) would otherwise void the applicant's code
      // five tries at a time, after locking the case with five wrong ID numbers. The answer and
      // the audit row are the same either way, so the count tells a guesser nothing.
      if (live && caseOfPair(conn, caseNo, input.idNumber)) countWrongCode(conn, 'track_codes', live.id, at)
      writeAudit(conn, { action: 'track.unlock.failed', subject: caseNo, detail: { reason: 'wrongCode' }, ip })
      return { notFound: true }
    }
    // used whatever the pair: a code is not a way to try ID numbers
    useCode(conn, 'track_codes', live.id, at)
    const tracked = trackCase(conn, caseNo, input.idNumber)
    if (!tracked) {
      writeAudit(conn, { action: 'track.unlock.failed', subject: caseNo, detail: { reason: 'wrongPair' }, ip })
      return { notFound: true }
    }
    writeAudit(conn, { action: 'track.unlock', subject: caseNo, ip })
    return { found: tracked }
  })
}

/** Deletes codes made more than a day ago (CODE_ROW_HOURS), by track_codes_created_idx; returns how many went. */
export const forgetOldTrackCodes = (conn: Connection, now = new Date()): number => forgetOldCodes(conn, 'track_codes', now)
