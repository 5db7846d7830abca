/**
 * The one-time notice of corrections (一次性告知, 行政许可法 第三十二条第四项): within a stage of a
 * case, the applicant is told once everything to correct, and a later return may only ask again
 * for what a notice of the stage named (transitions.ts, noticeFor). The clerk's return form reads
 * the same notices, so that it offers only what the rule lets it ask for.
 */
import type { Connection } from '../../db/client'
import type { NoticeItems } from '../../shared/utils/workflow'
import type { CaseDbRow } from './case-views'

/**
 * The one-time notices given so far in the case's present stage: before acceptance, every return;
 * once accepted (also on receipt, by a notice given late, which is then the first of the new
 * stage), the returns from its acceptance on. Null when one of them was given before the notices
 * were recorded (case_events.notice, migration 0035): what it asked is unknown, and the case is
 * not held to it.
 */
export function noticesOfStage(conn: Connection, row: Pick<CaseDbRow, 'caseNo' | 'acceptedAt'>): NoticeItems[] | null {
  return returnsOfStage(conn, row)?.map(r => r.notice) ?? null
}

/** noticesOfStage with the time each notice was given, oldest first. */
export function returnsOfStage(conn: Connection, row: Pick<CaseDbRow, 'caseNo' | 'acceptedAt'>): { at: string, notice: NoticeItems }[] | null {
  const returns = conn.sqlite.prepare(`SELECT at, notice FROM case_events WHERE case_no = ? AND action = 'return' ORDER BY id`)
    .all(row.caseNo) as { at: string, notice: string | null }[]
  const stage = row.acceptedAt ? returns.filter(r => r.at >= row.acceptedAt!) : returns
  if (stage.some(r => r.notice === null)) return null
  return stage.map(r => ({ at: r.at, notice: JSON.parse(r.notice!) as NoticeItems }))
}

/**
 * Whether a return made today is the case's late acceptance decision: one given while the case is
 * submitted, not yet accepted, after its acceptance deadline. It counts the case as accepted on
 * receipt and is the first notice of the stage that acceptance opens, not held to those before it.
 */
export function returnOpensStage(row: Pick<CaseDbRow, 'status' | 'acceptedAt' | 'deadline'>, today: string): boolean {
  return row.status === 'submitted' && !row.acceptedAt && today > row.deadline
}
