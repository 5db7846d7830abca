/**
 * What happens to one generated case, as the contract's workflow allows it: the steps (each an
 * event and a version), the status it ends in, its deadline and, when completed, whether on time.
 * Days are indexes into a DayTable; `today` is the last generated day.
 */
import type { Rng } from './prng'
import type { DayTable } from './calendar'

export type Status = 'submitted' | 'supplement' | 'accepted' | 'suspended' | 'approved' | 'rejected' | 'not_accepted' | 'withdrawn'
export interface Step { day: number, action: string, from: Status | null, to: Status, by: 'clerk' | 'applicant' }
export interface Plan { steps: Step[], status: Status, deadline: number, accepted: number | null, completed: number | null }
export interface PlanService { instant: boolean, limitDays: number }

/** Working days to decide on acceptance (server/services/case-intake.ts ACCEPTANCE_LIMIT_DAYS). */
const ACCEPTANCE_DAYS = 5

class Builder {
  steps: Step[] = []
  status: Status = 'submitted'
  constructor(received: number) { this.steps.push({ day: received, action: 'submit', from: null, to: 'submitted', by: 'applicant' }) }
  go(day: number, action: string, to: Status, by: 'clerk' | 'applicant' = 'clerk'): void {
    this.steps.push({ day, action, from: this.status, to, by })
    this.status = to
  }
}

/** An instant item (即办件) is decided on the day it is received. */
function planInstant(rng: Rng, r: number, today: number): Plan {
  const b = new Builder(r)
  if (r === today && rng.chance(0.3)) return { steps: b.steps, status: b.status, deadline: r, accepted: null, completed: null }
  const x = rng.next()
  if (x < 0.03) { b.go(r, 'refuse', 'not_accepted'); return { steps: b.steps, status: b.status, deadline: r, accepted: null, completed: null } }
  if (x < 0.07) { b.go(r, 'accept', 'accepted'); b.go(r, 'reject', 'rejected') }
  else b.go(r, 'approve', 'approved')
  return { steps: b.steps, status: b.status, deadline: r, accepted: b.steps.length > 2 ? r : null, completed: r }
}

/** A promised item (承诺件): acceptance within five working days, then handling within its limit. */
function planPromised(rng: Rng, r: number, today: number, svc: PlanService, days: DayTable): Plan {
  const b = new Builder(r)
  const acceptBy = days.addWorking(r, ACCEPTANCE_DAYS)
  const open = (deadline: number): Plan => ({ steps: b.steps, status: b.status, deadline, accepted: null, completed: null })
  let decide = days.addWorking(r, rng.int(0, 3))
  if (decide > today) return open(acceptBy)
  const x = rng.next()
  if (x < 0.03) { b.go(decide, 'refuse', 'not_accepted'); return open(acceptBy) }
  if (x < 0.06) { b.go(Math.min(today, r + rng.int(0, 3)), 'withdraw', 'withdrawn', 'applicant'); return open(acceptBy) }
  if (x < 0.14) {
    b.go(decide, 'return', 'supplement')
    const back = days.addWorking(decide, rng.int(1, 10))
    if (back > today) return open(acceptBy)
    b.go(back, 'resubmit', 'submitted', 'applicant')
    decide = days.addWorking(back, rng.int(0, 2))
    if (decide > today) return open(days.addWorking(back, ACCEPTANCE_DAYS))
  }
  b.go(decide, 'accept', 'accepted')
  const deadline = days.addWorking(decide, svc.limitDays)
  const handling = rng.int(1, Math.max(1, Math.ceil(svc.limitDays * 1.15)))
  const done = days.addWorking(decide, handling)
  if (done > today) {
    if (rng.chance(0.05)) b.go(Math.min(today, days.addWorking(decide, 1)), 'suspend', 'suspended')
    return { steps: b.steps, status: b.status, deadline, accepted: decide, completed: null }
  }
  if (rng.chance(0.94)) b.go(done, 'approve', 'approved')
  else b.go(done, 'reject', 'rejected')
  return { steps: b.steps, status: b.status, deadline, accepted: decide, completed: done }
}

/** The life of a case received on day `r`, as far as it got by `today`. */
export function planCase(rng: Rng, r: number, today: number, svc: PlanService, days: DayTable): Plan {
  return svc.instant ? planInstant(rng, r, today) : planPromised(rng, r, today, svc, days)
}
