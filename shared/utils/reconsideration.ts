/**
 * 行政复议机关: where an applicant applies for reconsideration of a department's decision, which a
 * written decision must name (行政复议法 2023 第二十条: until the applicant is told the right, the
 * body and the time limit, the sixty days do not start). A department of the city government is
 * reconsidered by the city government (第二十四条); the tax service, and the bureaus under vertical
 * leadership (tobacco monopoly, meteorology), by the authority above them (第二十七条).
 */
import type { LocalText } from '../types/catalogue'

const CITY_GOVERNMENT: LocalText = { zh: '深圳市人民政府', en: 'the Shenzhen Municipal People\'s Government' }

/** The tax service of Shenzhen, a bureau of the State Taxation Administration directly. */
const STATE_TAXATION: LocalText = { zh: '国家税务总局', en: 'the State Taxation Administration' }

/** Departments under vertical leadership whose authority above is not named here: the document says "the authority above this department". */
const VERTICAL = new Set(['SZYC', 'SZQX'])

/** The reconsideration body of a department by its code; null for one whose body is the authority directly above it, unnamed. */
export function reconsiderationBodyOf(departmentCode: string): LocalText | null {
  if (departmentCode === 'SZSW') return STATE_TAXATION
  if (VERTICAL.has(departmentCode)) return null
  return CITY_GOVERNMENT
}
