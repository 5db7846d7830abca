/**
 * 本行政机关负责人: the clerks who head their department (users.department_head, set from the console
 * with `npm run user:role -- <username> --role clerk --department <code> --head`). 行政许可法 第四十二条
 * lets a time limit be extended only with the approval of the head of the department: a head extends
 * it, or approves what one of the department's clerks asks for (extension-requests.ts). The case's
 * page and the server read the same state from here, so they never disagree.
 */
import type { Connection } from '../../db/client'
import type { ExtensionRequestView, ExtensionState } from '../../shared/types/case'
import { maskPersonalNumbers } from '../../shared/utils/mask'

/**
 * A request to extend (alias `r`, its case `c`) that still waits for the head: open, on an accepted
 * case not yet extended whose deadline (parameter :today) has not passed. Past it the request goes
 * nowhere. The head's list, the clerks' queue and supervision count by it, each reading the open
 * requests first (`extension_requests r CROSS JOIN cases c`): they are few, where the planner,
 * left to choose, read every accepted case of the department not yet due and looked each one up.
 */
export const AWAITING_DECISION = `r.outcome IS NULL AND c.status = 'accepted' AND c.extended_days = 0 AND c.deadline >= :today`

/**
 * An active clerk who heads their department (on users, alias `u`): neither disabled nor closed.
 * `department_head = 1` lets users_department_heads_idx find the few among every account.
 */
export const ACTIVE_HEAD = `u.role = 'clerk' AND u.department_head = 1 AND u.disabled_at IS NULL AND u.closed_at IS NULL`

/** The active clerks who head `departmentCode`: the ones who may extend its cases and decide its clerks' requests. */
export function activeHeadsOf(conn: Connection, departmentCode: string): number[] {
  return conn.sqlite.prepare(`SELECT u.id FROM users u WHERE u.department_code = ? AND ${ACTIVE_HEAD} ORDER BY u.id`).pluck().all(departmentCode) as number[]
}

/** Whether `userId` is an active clerk who heads `departmentCode`. */
export function isDepartmentHead(conn: Connection, userId: number, departmentCode: string | null): boolean {
  return departmentCode !== null && activeHeadsOf(conn, departmentCode).includes(userId)
}

interface RequestRow { id: number, days: number, reason: string, requestedBy: string, requestedById: number, requestedAt: string, outcome: 'approved' | 'declined' | null, declineReason: string | null, decidedBy: string | null, decidedAt: string | null }

const SELECT_REQUEST = `SELECT r.id, r.days, r.reason, q.name AS requestedBy, r.requested_by AS requestedById, r.requested_at AS requestedAt,
    r.outcome, r.decline_reason AS declineReason, d.name AS decidedBy, r.decided_at AS decidedAt
  FROM extension_requests r JOIN users q ON q.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by`

/** The case's open request, if any (at most one: extension_requests_open_idx). */
export function openExtensionRequest(conn: Connection, caseNo: string): RequestRow | undefined {
  return conn.sqlite.prepare(`${SELECT_REQUEST} WHERE r.case_no = ? AND r.outcome IS NULL`).get(caseNo) as RequestRow | undefined
}

/**
 * A case's extension as its department's staff read it on its page, null for anyone else: the open
 * request, or the last one declined when none is open (the clerk who asked learns why); whether
 * this viewer may ask for one (a clerk of the department while the limit may still be extended and
 * nothing is open; a head extends directly) and whether they may decide the open one (its head:
 * `head`, as the workflow judged the viewer). `noHead` when a clerk could ask, or a request is
 * open, but the department has no active head: nobody could decide, so the clerk may not ask and
 * is told to have one set (a request would wait unseen until the deadline passed).
 * The reason is the clerk's words to the applicant: an ID or mobile number in it is masked for
 * everyone but its author, as in the case's history.
 */
export function extensionStateOf(conn: Connection, caseNo: string, viewer: { id: number, role: string, departmentCode: string | null }, opts: { caseDepartment: string, head: boolean, extendable: boolean, mayAct: boolean }): ExtensionState | null {
  if (viewer.role !== 'clerk' || viewer.departmentCode !== opts.caseDepartment) return null
  const { head } = opts
  // the latest request: an approved one is the case's extension, in its history, and ends the matter
  const last = conn.sqlite.prepare(`${SELECT_REQUEST} WHERE r.case_no = ? ORDER BY r.id DESC LIMIT 1`).get(caseNo) as RequestRow | undefined
  // (shown open or declined only)
  const view = (r: RequestRow): ExtensionRequestView => {
    const { requestedById, outcome, ...shown } = r
    return { ...shown, outcome: outcome === 'declined' ? 'declined' : null, reason: requestedById === viewer.id ? r.reason : maskPersonalNumbers(r.reason) }
  }
  const open = last && last.outcome === null && opts.extendable ? view(last) : null
  const couldAsk = opts.mayAct && opts.extendable && !head && !(last && last.outcome === null)
  // asked only when it matters: a head is one, and a case that cannot be extended needs none
  const noHead = !head && (couldAsk || open !== null) && activeHeadsOf(conn, opts.caseDepartment).length === 0
  return {
    departmentHead: head,
    open,
    declined: last?.outcome === 'declined' ? view(last) : null,
    canRequest: couldAsk && !noHead,
    canDecide: opts.mayAct && head && open !== null,
    noHead,
  }
}
