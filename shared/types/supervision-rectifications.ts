/**
 * Follow-ups of bad ratings (差评整改) as `GET /api/supervision` adds them for managers: each rating
 * of 1 or 2 must be answered by its department within 15 working days, and the ones past that were
 * found only by typing /clerk/rectifications. Counted now, whatever the period, as the open cases are.
 */
import type { Supervision } from './supervision'

export interface OpenRectifications {
  /** follow-ups not yet answered */
  open: number
  /** of those, the ones past their deadline */
  overdue: number
}

/** The supervision answer with its follow-up counts. */
export type SupervisionWithRectifications = Supervision & { rectifications: OpenRectifications }
