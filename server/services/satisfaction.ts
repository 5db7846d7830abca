/**
 * Satisfaction statistics (好差评统计) per service and per department: how many ratings, the
 * average score, the shares of good (4–5) and bad (1–2) ratings, the indicator averages, and how
 * many bad ratings were rectified on time among those whose deadline has passed or were answered.
 */
import type { Connection } from '../../db/client'
import type { SatisfactionReport, SatisfactionStats } from '../../shared/types/rating'
import { RATING_INDICATORS } from '../../shared/utils/rating-schemas'
import type { RatingIndicator } from '../../shared/utils/rating-schemas'
import { rate, scoreAverage } from '../../shared/utils/rates'
import { addDays, shanghaiDateOf } from '../../shared/utils/working-days'

export type { SatisfactionReport, SatisfactionStats }

interface Aggregate {
  key: string, count: number, scoreSum: number, good: number, bad: number, onTime: number, due: number
  [indicator: string]: number | string | null
}

// sums and counts, not avg(): the average is cut down from whole numbers (scoreAverage), never rounded up
const indicatorColumns = RATING_INDICATORS.map(k => `sum(json_extract(r.indicators, '$.${k}')) AS "ind_${k}", count(json_extract(r.indicators, '$.${k}')) AS "n_${k}"`).join(', ')

/** As SQLite's ORDER BY on text: by code point, never by locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function statsOf(a: Aggregate | undefined): SatisfactionStats {
  const count = a?.count ?? 0
  const indicators = Object.fromEntries(RATING_INDICATORS.map(k => [k, scoreAverage(Number(a?.[`ind_${k}`] ?? 0), Number(a?.[`n_${k}`] ?? 0))])) as Record<RatingIndicator, number | null>
  return {
    count, averageScore: scoreAverage(a?.scoreSum ?? 0, count), good: a?.good ?? 0, bad: a?.bad ?? 0,
    goodShare: rate(a?.good ?? 0, count), badShare: rate(a?.bad ?? 0, count), indicators,
    rectifiedOnTime: a?.onTime ?? 0, rectificationDue: a?.due ?? 0, rectifiedOnTimeRate: rate(a?.onTime ?? 0, a?.due ?? 0),
  }
}

/** Ratings given on Asia/Shanghai days from..to (inclusive), optionally of one department (null: no such department). */
export function satisfactionReport(conn: Connection, q: { from: string, to: string, dept?: string | null }, now = new Date()): SatisfactionReport | null {
  if (q.dept && !conn.sqlite.prepare('SELECT 1 FROM departments WHERE code = ?').get(q.dept)) return null
  const today = shanghaiDateOf(now)
  // created_at is a UTC instant: the Shanghai day D starts at (D − 1) 16:00 UTC
  const fromTs = new Date(`${q.from}T00:00:00+08:00`).toISOString()
  const toTs = new Date(`${addDays(q.to, 1)}T00:00:00+08:00`).toISOString()
  const aggregate = (groupBy: string | null): Aggregate[] => conn.sqlite.prepare(`SELECT ${groupBy ?? '\'all\''} AS key, count(*) AS count,
      sum(r.score) AS scoreSum, sum(r.score >= 4) AS good, sum(r.score <= 2) AS bad,
      sum(x.answer IS NOT NULL AND x.answered_date <= x.deadline) AS onTime,
      sum(x.id IS NOT NULL AND (x.answer IS NOT NULL OR x.deadline < @today)) AS due, ${indicatorColumns}
    FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id
    WHERE r.created_at >= @fromTs AND r.created_at < @toTs AND (@dept IS NULL OR r.department_code = @dept)
    ${groupBy ? `GROUP BY ${groupBy}` : ''}`).all({ today, fromTs, toTs, dept: q.dept ?? null }) as Aggregate[]
  const byDept = new Map(aggregate('r.department_code').map(a => [a.key, a]))
  // the department of the rating (the case's), not the item's now: the rows add up to byDepartment
  const bySvc = aggregate(`r.service_code || ' ' || r.department_code`)
  const departments = conn.sqlite.prepare('SELECT code, name, name_en AS nameEn FROM departments WHERE (@dept IS NULL OR code = @dept) ORDER BY code')
    .all({ dept: q.dept ?? null }) as { code: string, name: string, nameEn: string }[]
  const serviceNames = conn.sqlite.prepare('SELECT name, name_en AS nameEn FROM services WHERE code = ?')
  const byService = bySvc.map((a) => {
    const [code, departmentCode] = a.key.split(' ') as [string, string]
    const names = serviceNames.get(code) as { name: string, nameEn: string }
    return { code, ...names, departmentCode, ...statsOf(a) }
  }).sort((a, b) => (a.code === b.code ? cmp(a.departmentCode, b.departmentCode) : cmp(a.code, b.code)))
  const [overall] = aggregate(null)
  return {
    from: q.from, to: q.to, department: q.dept ?? null,
    overall: statsOf(overall?.count ? overall : undefined),
    byDepartment: departments.map(d => ({ ...d, ...statsOf(byDept.get(d.code)) })),
    byService,
  }
}
