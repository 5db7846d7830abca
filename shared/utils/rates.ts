/** The formulas of the online-rate report (contract: The online-rate report). */

/** Targets of the city's online government services programme. */
export const TARGETS = { onlineAvailabilityRate: 1, onlineRate: 0.9 } as const
export type TargetName = keyof typeof TARGETS

/**
 * numerator ÷ denominator, the quotient itself, as the contract's formulas read. Null when the
 * denominator is 0 (a rate of nothing is unknown, not 0 and never NaN). Throws on negative or
 * non-finite counts. Never rounded: 22,499 of 25,000 online stays 0.89996, below its target,
 * where rounding to 4 decimals read 0.9 and met it; pages cut it down for display
 * (useReportFormat: 89.9%). IEEE division is correctly rounded, so a count exactly at a target
 * (22,500 of 25,000) gives the very double the target is written as, and meets it.
 */
export function rate(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || numerator < 0 || denominator < 0) {
    throw new RangeError(`counts must be finite and ≥ 0: ${numerator} / ${denominator}`)
  }
  if (denominator === 0) return null
  return numerator / denominator
}

/**
 * sum ÷ count rounded once to `decimals` (an average score, average handling days); null for no
 * count. Rounding an already rounded quotient again can move it (4.50495 → 4.505 → 4.51).
 */
export function average(sum: number, count: number, decimals: number): number | null {
  if (rate(sum, count) === null) return null
  const scale = 10 ** decimals
  return Math.round((sum / count) * scale) / scale
}

/**
 * An average score (1–5) with two decimals, cut down (never rounded up): 249 fives and a four
 * average 4.996, which rounding showed as 5.00, the score nobody gets unless every rating is a five.
 * `sum` and `count` are whole numbers, so sum × 100 ÷ count floors exactly. Null for no count.
 */
export function scoreAverage(sum: number, count: number): number | null {
  if (rate(sum, count) === null) return null
  return Math.floor((sum * 100) / count) / 100
}

export interface ServiceCounts {
  total: number
  suitableOnline: number
  /** suitable online AND available online */
  availableOnline: number
  /** online depth 4 */
  fullyOnline: number
}

export interface ServiceRates extends ServiceCounts {
  onlineAvailabilityRate: number | null
  fullyOnlineRate: number | null
}

/** Adds onlineAvailabilityRate (available ÷ suitable) and fullyOnlineRate (depth 4 ÷ all items). */
export function serviceRates(c: ServiceCounts): ServiceRates {
  return {
    total: c.total,
    suitableOnline: c.suitableOnline,
    availableOnline: c.availableOnline,
    fullyOnline: c.fullyOnline,
    onlineAvailabilityRate: rate(c.availableOnline, c.suitableOnline),
    fullyOnlineRate: rate(c.fullyOnline, c.total),
  }
}

export interface CaseCounts {
  total: number
  online: number
  counter: number
  completed: number
  completedOnTime: number
}

export interface CaseRates extends CaseCounts {
  onlineRate: number | null
  onTimeRate: number | null
}

/** Adds onlineRate (online ÷ (online + counter)) and onTimeRate (on time ÷ completed). */
export function caseRates(c: CaseCounts): CaseRates {
  return {
    total: c.total,
    online: c.online,
    counter: c.counter,
    onlineRate: rate(c.online, c.online + c.counter),
    completed: c.completed,
    completedOnTime: c.completedOnTime,
    onTimeRate: rate(c.completedOnTime, c.completed),
  }
}

/**
 * Whether a rate reaches its target; null when the rate itself is unknown. Reaching it is enough:
 * the policy's "90%以上" counts 90% itself (以上 includes the number, 民法典 第一千二百五十九条).
 */
export function meetsTarget(name: TargetName, value: number | null): boolean | null {
  return value === null ? null : value >= TARGETS[name]
}

/** Acceptance decisions (accept, refuse, an instant item approved on the spot) and how many came after their deadline. */
export interface AcceptanceCounts {
  decided: number
  late: number
}

export interface AcceptanceRates {
  acceptanceDecided: number
  acceptedLate: number
  /** decisions within the acceptance limit ÷ decisions; null when none was decided */
  acceptanceOnTimeRate: number | null
}

/**
 * The acceptance figures beside onTimeRate: accepting sets a handling deadline counted from that
 * day, so a case accepted late and then completed quickly is on time by onTimeRate; this is where
 * the late acceptance shows.
 */
export function acceptanceRates(c: AcceptanceCounts): AcceptanceRates {
  if (c.late > c.decided) throw new RangeError(`more late than decided: ${c.late} / ${c.decided}`)
  return { acceptanceDecided: c.decided, acceptedLate: c.late, acceptanceOnTimeRate: rate(c.decided - c.late, c.decided) }
}
