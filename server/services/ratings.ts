/**
 * Ratings (好差评): once a case is completed (approved or rejected) its applicant may rate the
 * service once, overall and on the five online indicators. A score of 1 or 2 opens a
 * rectification item the department must answer within 15 working days. A clerk may prompt the
 * applicant for a rating (once per case) but never rates for anyone.
 */
import type { Connection } from '../../db/client'
import type { CaseRatingView, RectificationView } from '../../shared/types/rating'
import type { RatingInput } from '../../shared/utils/rating-schemas'
import { maskPersonalNumbers } from '../../shared/utils/mask'
import { isCompleted, isStatus } from '../../shared/utils/workflow'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { isClosed } from './accounts'
import { workingDaysAfter } from './calendar'
import { caseSmsMobile, queueSms } from './notifications'
import { ResultError } from './results'
import { isOwnCase } from './recusal'

/** Working days a department has to answer a bad rating (整改时限). */
export const RECTIFICATION_LIMIT_DAYS = 15

/** Refusals the handlers turn into HTTP statuses (`refusalOf`); free of h3 so the service runs in vitest. */
export class RatingError extends ResultError {}

export type { CaseRatingView, RectificationView }

export interface RatingActor { id: number, role: string, departmentCode: string | null }

interface CaseRow {
  caseNo: string, status: string, serviceCode: string, departmentCode: string, applicantId: number | null
  applicantMobile: string | null, applicantIdNumber: string | null
}

const CASE_COLUMNS = `case_no AS caseNo, status, service_code AS serviceCode, department_code AS departmentCode,
  applicant_id AS applicantId, applicant_mobile AS applicantMobile, applicant_id_number AS applicantIdNumber`

/** The case if the caller may see its rating: its applicant, a clerk of its department, a manager. */
function visibleCase(conn: Connection, caseNo: string, user: RatingActor): CaseRow | undefined {
  const row = conn.sqlite.prepare(`SELECT ${CASE_COLUMNS} FROM cases WHERE case_no = ?`).get(caseNo) as CaseRow | undefined
  if (!row) return undefined
  if (user.role === 'manager') return row
  if (user.role === 'clerk') return user.departmentCode === row.departmentCode ? row : undefined
  if (user.role === 'citizen') return row.applicantId === user.id ? row : undefined
  return undefined
}

const completed = (status: string) => isStatus(status) && isCompleted(status)

/**
 * The free text a rating carries (the applicant's comment, the department's answer) as shown to
 * anyone but the person who rated: ID and mobile numbers in it masked (maskPersonalNumbers), as
 * everywhere else staff see them; the full number stays behind the audited reveal of the case.
 * Masked on the way out rather than before storing: the text stays as the person wrote it for
 * them (their case page, their personal-data export), and comments stored before this rule are
 * masked all the same.
 */
export function ratingText(text: string | null, shownToAuthor: boolean): string | null {
  return text === null || shownToAuthor ? text : maskPersonalNumbers(text)
}

interface RatingRow { id: number, userId: number, score: number, indicators: string, comment: string | null, createdAt: string }
interface RectRow { id: number, deadline: string, answer: string | null, answeredAt: string | null }

function promptedAt(conn: Connection, caseNo: string): string | null {
  const row = conn.sqlite.prepare(`SELECT at FROM audit_log WHERE action = 'rating.prompt' AND subject = ? ORDER BY id LIMIT 1`).get(caseNo) as { at: string } | undefined
  return row?.at ?? null
}

/**
 * A rectification as people read it: open until answered, overdue once its deadline has passed
 * unanswered. Its answer is masked (ratingText) unless shown to the person who rated.
 */
export function rectificationView(r: RectRow, today: string, shownToAuthor: boolean): RectificationView {
  return {
    id: r.id, deadline: r.deadline, status: r.answer ? 'answered' : 'open', overdue: !r.answer && today > r.deadline,
    answer: ratingText(r.answer, shownToAuthor), answeredAt: r.answeredAt,
  }
}

/** The rating of a case and any rectification answer; null when the caller may not see the case. */
export function getCaseRating(conn: Connection, caseNo: string, user: RatingActor, now = new Date()): CaseRatingView | null {
  const c = visibleCase(conn, caseNo, user)
  if (!c) return null
  const rating = conn.sqlite.prepare('SELECT id, user_id AS userId, score, indicators, comment, created_at AS createdAt FROM ratings WHERE case_no = ?').get(caseNo) as RatingRow | undefined
  const rect = rating
    ? conn.sqlite.prepare('SELECT id, deadline, answer, answered_at AS answeredAt FROM rectifications WHERE rating_id = ?').get(rating.id) as RectRow | undefined
    : undefined
  const prompted = promptedAt(conn, caseNo)
  // the applicant reads what they wrote; a clerk or a manager reads it masked
  const author = rating !== undefined && user.role === 'citizen' && rating.userId === user.id
  return {
    caseNo, caseStatus: c.status,
    canRate: user.role === 'citizen' && !rating && completed(c.status),
    promptedAt: prompted,
    // a counter case of someone without a portal account, or an applicant who closed theirs, can
    // never rate online: no prompt to send (the same tests promptRating makes, so no button that
    // fails); nor does a clerk ask for the rating of their own case (回避)
    canPrompt: user.role === 'clerk' && !rating && !prompted && completed(c.status) && c.applicantId !== null && !isClosed(conn, c.applicantId)
      && !isOwnCase(conn, user, c.applicantIdNumber),
    rating: rating ? { score: rating.score, indicators: JSON.parse(rating.indicators) as Record<string, number>, comment: ratingText(rating.comment, author), createdAt: rating.createdAt } : null,
    rectification: rect ? rectificationView(rect, shanghaiDateOf(now), author) : null,
  }
}

/**
 * Records the applicant's rating (call inside a write transaction). 404 for a case that is not
 * theirs, 409 before completion or for a second rating. A score of 1 or 2 opens a rectification.
 */
export function rateCase(conn: Connection, caseNo: string, user: RatingActor, input: RatingInput, ip: string | null, now = new Date()): CaseRatingView {
  const c = conn.sqlite.prepare(`SELECT ${CASE_COLUMNS} FROM cases WHERE case_no = ? AND applicant_id = ?`).get(caseNo, user.id) as CaseRow | undefined
  if (!c || user.role !== 'citizen') throw new RatingError(404, 'Not found')
  if (!completed(c.status)) throw new RatingError(409, 'A case can be rated once it is completed (approved or rejected)')
  if (conn.sqlite.prepare('SELECT 1 FROM ratings WHERE case_no = ?').get(caseNo)) throw new RatingError(409, 'This case has already been rated')
  const at = now.toISOString()
  const indicators = Object.fromEntries(Object.entries(input.indicators ?? {}).filter(([, v]) => v !== undefined))
  const comment = input.comment?.trim() || null
  const rating = conn.sqlite.prepare(`INSERT INTO ratings (case_no, user_id, service_code, department_code, score, indicators, comment, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(caseNo, user.id, c.serviceCode, c.departmentCode, input.score, JSON.stringify(indicators), comment, at)
  let rectificationId: number | null = null
  if (input.score <= 2) {
    const deadline = workingDaysAfter(conn, shanghaiDateOf(now), RECTIFICATION_LIMIT_DAYS)
    rectificationId = Number(conn.sqlite.prepare('INSERT INTO rectifications (rating_id, department_code, deadline) VALUES (?, ?, ?)')
      .run(rating.lastInsertRowid, c.departmentCode, deadline).lastInsertRowid)
  }
  // the score is the public judgement; the comment may hold personal details and stays out of the log
  writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'rating.create', subject: caseNo, detail: { score: input.score, rectificationId }, ip })
  return getCaseRating(conn, caseNo, user, now)!
}

/**
 * A clerk of the case's department asks the applicant for a rating: an in-app message and an SMS
 * in the outbox, once per case (call inside a write transaction). 404 when not their
 * department's case, 409 before completion, once rated, a second time, or by the applicant
 * themselves (回避: a clerk asking for the judgement of their own case).
 */
export function promptRating(conn: Connection, caseNo: string, user: RatingActor, ip: string | null, now = new Date()): { caseNo: string, promptedAt: string } {
  const c = visibleCase(conn, caseNo, user)
  if (!c || user.role !== 'clerk') throw new RatingError(404, 'Not found')
  if (!completed(c.status)) throw new RatingError(409, 'Only a completed case can be rated')
  if (conn.sqlite.prepare('SELECT 1 FROM ratings WHERE case_no = ?').get(caseNo)) throw new RatingError(409, 'This case has already been rated')
  if (promptedAt(conn, caseNo)) throw new RatingError(409, 'The applicant has already been asked for a rating')
  if (c.applicantId === null || isClosed(conn, c.applicantId)) throw new RatingError(409, 'The applicant has no portal account to rate with')
  if (isOwnCase(conn, user, c.applicantIdNumber)) throw new RatingError(409, 'Recusal (回避): you applied for this case, so another clerk of the department asks for its rating')
  const at = now.toISOString()
  const params = JSON.stringify({ caseNo })
  conn.sqlite.prepare('INSERT INTO messages (user_id, case_no, at, kind, params) VALUES (?, ?, ?, ?, ?)').run(c.applicantId, caseNo, at, 'ratingPrompt', params)
  const mobile = c.applicantMobile && caseSmsMobile(conn, caseNo)
  if (mobile) queueSms(conn, `rating-prompt:${caseNo}:sms`, mobile, 'case.ratingPrompt', params, at)
  writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'rating.prompt', subject: caseNo, ip })
  // the audit row is the record of the prompt: answer with its time, which later reads return too
  return { caseNo, promptedAt: promptedAt(conn, caseNo)! }
}
