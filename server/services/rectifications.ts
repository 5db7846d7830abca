/**
 * Rectification items (整改): opened by a rating of 1 or 2, answered by the department within
 * 15 working days. Clerks see and answer their department's items; managers see all of them.
 */
import type { Connection } from '../../db/client'
import type { RectificationItem } from '../../shared/types/rating'
import type { Page } from '../../shared/utils/query'
import { shanghaiDateOf } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { RatingError, ratingText, rectificationView } from './ratings'
import { isOwnNumber, staffIdNumber } from './recusal'
import type { RatingActor } from './ratings'

export type { RectificationItem }

interface ItemRow {
  id: number, deadline: string, answer: string | null, answeredAt: string | null, caseNo: string, serviceCode: string
  serviceName: string, serviceNameEn: string, departmentCode: string, departmentName: string, departmentNameEn: string
  score: number, indicators: string, comment: string | null, ratedAt: string, applicantIdNumber: string | null
}

const SELECT_ITEMS = `SELECT x.id, x.deadline, x.answer, x.answered_at AS answeredAt, r.case_no AS caseNo, r.service_code AS serviceCode,
    s.name AS serviceName, s.name_en AS serviceNameEn, x.department_code AS departmentCode, d.name AS departmentName,
    d.name_en AS departmentNameEn, r.score, r.indicators, r.comment, r.created_at AS ratedAt,
    (SELECT c.applicant_id_number FROM cases c WHERE c.case_no = r.case_no) AS applicantIdNumber
  FROM rectifications x JOIN ratings r ON r.id = x.rating_id JOIN services s ON s.code = r.service_code
  JOIN departments d ON d.code = x.department_code`

/**
 * An item as staff read it (only clerks and managers see these): the comment and answer masked
 * (ratingText), the applicant's ID number only compared with `own`, the reader's (staffIdNumber).
 */
function itemOf(r: ItemRow, today: string, own: string | null): RectificationItem {
  return {
    ...rectificationView(r, today, false), caseNo: r.caseNo,
    service: { code: r.serviceCode, name: r.serviceName, nameEn: r.serviceNameEn },
    department: { code: r.departmentCode, name: r.departmentName, nameEn: r.departmentNameEn },
    score: r.score, indicators: JSON.parse(r.indicators) as Record<string, number>, comment: ratingText(r.comment, false), ratedAt: r.ratedAt,
    ownCase: isOwnNumber(own, r.applicantIdNumber),
  }
}

export interface RectificationQuery { status?: 'open' | 'answered', page: number, pageSize: number }

/** A clerk's department's items, or every item for a manager: open ones by soonest deadline first. */
export function listRectifications(conn: Connection, user: RatingActor, q: RectificationQuery, now = new Date()): Page<RectificationItem> {
  const where: string[] = []
  const params: (string | number)[] = []
  if (user.role !== 'manager') {
    where.push('x.department_code = ?')
    params.push(user.departmentCode ?? '')
  }
  if (q.status === 'open') where.push('x.answer IS NULL')
  if (q.status === 'answered') where.push('x.answer IS NOT NULL')
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = (conn.sqlite.prepare(`SELECT count(*) AS n FROM rectifications x ${clause}`).get(...params) as { n: number }).n
  const rows = conn.sqlite.prepare(`${SELECT_ITEMS} ${clause} ORDER BY (x.answer IS NOT NULL), x.deadline, x.id LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as ItemRow[]
  const today = shanghaiDateOf(now)
  const own = staffIdNumber(conn, user)
  return { items: rows.map(r => itemOf(r, today, own)), total, page: q.page, pageSize: q.pageSize }
}

/**
 * A clerk of the department answers an item (call inside a write transaction); the applicant gets
 * a message and sees the answer with the rating. 404 when not their department's, 409 when
 * answered or when the clerk applied for the case (回避: the department's answer to a complaint,
 * on time or late in the satisfaction report, is not given by the person it concerns).
 */
export function answerRectification(conn: Connection, id: number, user: RatingActor, answer: string, ip: string | null, now = new Date()): RectificationItem {
  const row = conn.sqlite.prepare(`${SELECT_ITEMS} WHERE x.id = ? AND x.department_code = ?`).get(id, user.departmentCode ?? '') as ItemRow | undefined
  if (!row || user.role !== 'clerk') throw new RatingError(404, 'Not found')
  if (row.answer) throw new RatingError(409, 'This item has already been answered')
  const own = staffIdNumber(conn, user)
  if (isOwnNumber(own, row.applicantIdNumber)) throw new RatingError(409, 'Recusal (回避): you applied for this case, so another clerk of the department answers its rating')
  const at = now.toISOString()
  const today = shanghaiDateOf(now)
  conn.sqlite.prepare('UPDATE rectifications SET answer = ?, answered_at = ?, answered_date = ?, answered_by = ? WHERE id = ? AND answer IS NULL')
    .run(answer, at, today, user.id, id)
  const applicant = conn.sqlite.prepare('SELECT applicant_id AS applicantId FROM cases WHERE case_no = ?').get(row.caseNo) as { applicantId: number | null }
  if (applicant.applicantId) {
    conn.sqlite.prepare('INSERT INTO messages (user_id, case_no, at, kind, params) VALUES (?, ?, ?, ?, ?)')
      .run(applicant.applicantId, row.caseNo, at, 'ratingAnswered', JSON.stringify({ caseNo: row.caseNo }))
  }
  writeAudit(conn, { actorId: user.id, actorRole: user.role, action: 'rectification.answer', subject: String(id), detail: { caseNo: row.caseNo, onTime: today <= row.deadline }, ip })
  return itemOf({ ...row, answer, answeredAt: at }, today, own)
}
