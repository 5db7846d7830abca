/**
 * The guide as it stood when a case was received: the terms the applicant was given hold for the
 * case whatever is published later. receiveCase keeps the guide version and the promised and
 * legal limits on the case (cases.guide_version, promised_limit_days, legal_limit_days); a row
 * written otherwise (the benchmark's) has none and gets the item as it is now.
 */
import type { Connection } from '../../db/client'
import type { ItemType, LimitUnit, Material } from '../../shared/types/catalogue'
import { addDays } from '../../shared/utils/working-days'
import { sameOrNextWorkingDay, workingDaysAfter } from './calendar'

/**
 * The day a case accepted on `accepted` must be decided by: the promised limit (承诺时限, working
 * days) the department answers for, the legal one when none was promised (an instant item accepted
 * rather than decided on the spot). An editor publishing 1 day for an item with open cases would
 * otherwise make them overdue the day after acceptance, and raising it would stretch a promise
 * already made. A legal limit in natural days is counted as its law counts it: n days on, a last
 * day off moving to the next working day (民法典 第二百零三条), however many holidays lie between
 * (a change of the calendar recounts it so too: calendar-admin.ts). A promise never runs past a
 * legal limit in natural days (legalCapOf).
 */
export function handlingDeadline(conn: Connection, caseNo: string, accepted: string): string {
  const t = caseLimits(conn, caseNo)
  if (t.promised > 0) {
    const promised = workingDaysAfter(conn, accepted, t.promised)
    const cap = legalCapOf(conn, caseNo, t)
    const legal = cap && sameOrNextWorkingDay(conn, addDays(accepted, cap.legal))
    return legal && legal < promised ? legal : promised
  }
  const natural = naturalLimitOf(conn, caseNo, t)
  if (natural !== null) return sameOrNextWorkingDay(conn, addDays(accepted, natural))
  return workingDaysAfter(conn, accepted, t.legal)
}

interface CaseLimits { promised: number, legal: number, /** 延期 (transition-deadlines.ts, extensionChanges) */ extended: number }

function caseLimits(conn: Connection, caseNo: string): CaseLimits {
  return conn.sqlite.prepare(`SELECT coalesce(c.promised_limit_days, s.promised_limit_days) AS promised,
      coalesce(c.legal_limit_days, s.legal_limit_days) AS legal, c.extended_days AS extended
    FROM cases c JOIN services s ON s.code = c.service_code WHERE c.case_no = ?`).get(caseNo) as CaseLimits
}

/**
 * The legal limit in natural days an accepted case's deadline is counted in (nothing promised, and
 * the guide version it was received under counts its legal limit in natural days), with the days
 * it was extended by, else null: the deadline is then a count of working days.
 */
export function naturalLimitOf(conn: Connection, caseNo: string, limits = caseLimits(conn, caseNo)): number | null {
  if (limits.promised > 0) return null
  return caseGuideDetails(conn, caseNo).legalLimitUnit === 'natural' ? limits.legal + limits.extended : null
}

/**
 * A promise in working days under a legal limit counted in natural days: both, with the days the
 * case was extended by, else null. The promise is the department's own, the law's limit is the
 * applicant's right, and a promise kept can still break the law: SZRS-0015's 3 working days from
 * 30 September end on 10 October, its 5 days in law on 8 October (the next working day after
 * 5 October, a holiday). Such a case is due on the earlier of the two (handlingDeadline, and
 * deadline-periods.ts cappedDeadline when a pause, an extension or the calendar moves it).
 */
export function legalCapOf(conn: Connection, caseNo: string, limits = caseLimits(conn, caseNo)): { promised: number, legal: number } | null {
  if (limits.promised <= 0) return null
  if (caseGuideDetails(conn, caseNo).legalLimitUnit !== 'natural') return null
  return { promised: limits.promised + limits.extended, legal: limits.legal + limits.extended }
}

/**
 * The items of which the present guide or a published version counts the legal limit in natural
 * days: only their cases need their guide read when the calendar changes (calendar-admin.ts).
 */
export function itemsWithNaturalLimits(conn: Connection): Set<string> {
  return new Set(conn.sqlite.prepare(`SELECT code FROM services WHERE details ->> '$.legalLimitUnit' = 'natural'
    UNION SELECT service_code FROM service_versions WHERE status <> 'draft' AND guide ->> '$.legalLimitUnit' = 'natural'`).pluck().all() as string[])
}

/**
 * The materials of the guide version the case was received under, which the one-time notice
 * (一次性告知) asks for by name: the item's own while that version is still the current one, else
 * its snapshot in service_versions (every published version is kept there, the seed's first one
 * before anything supersedes it: ensureBaseline). A material renamed since stays askable by the
 * name the applicant read.
 */
export function caseGuideMaterials(conn: Connection, caseNo: string): Material[] {
  return caseGuideDetails(conn, caseNo).materials
}

/** The details of the guide version the case was received under: the item's own while current, else its snapshot. */
function caseGuideDetails(conn: Connection, caseNo: string): KeptGuide {
  const r = conn.sqlite.prepare(`SELECT c.service_code AS code, c.guide_version AS caseVersion, s.version AS itemVersion, s.details
    FROM cases c JOIN services s ON s.code = c.service_code WHERE c.case_no = ?`)
    .get(caseNo) as { code: string, caseVersion: number | null, itemVersion: number, details: string }
  const kept = r.caseVersion !== r.itemVersion ? keptGuide(conn, r.code, r.caseVersion) : undefined
  return kept ?? JSON.parse(r.details) as KeptGuide
}

/**
 * Whom the item was for when the case was received: an item made for people as well, after a
 * company's case was taken in for organisations only, must not turn that company's licence into
 * its representative's own (result-issue.ts, organisationInAnswers).
 */
export function caseAudience(conn: Connection, caseNo: string): Audience {
  const r = conn.sqlite.prepare(`SELECT c.service_code AS code, c.guide_version AS caseVersion, s.version AS itemVersion, s.audience
    FROM cases c JOIN services s ON s.code = c.service_code WHERE c.case_no = ?`)
    .get(caseNo) as { code: string, caseVersion: number | null, itemVersion: number, audience: Audience }
  const kept = r.caseVersion !== r.itemVersion ? keptGuide(conn, r.code, r.caseVersion) : undefined
  return kept?.audience ?? r.audience
}

type Audience = 'person' | 'organization' | 'both'

/**
 * What the item was called, and its type, when the case was received: the case's written
 * documents are titled by them (case-documents.ts), and an editor renaming the item later, or
 * changing its type, must not retitle a decision already issued.
 */
export function caseItemAsReceived(conn: Connection, caseNo: string): { name: string, nameEn: string, type: ItemType } {
  const r = conn.sqlite.prepare(`SELECT c.service_code AS code, c.guide_version AS caseVersion, s.version AS itemVersion, s.name, s.name_en AS nameEn, s.type
    FROM cases c JOIN services s ON s.code = c.service_code WHERE c.case_no = ?`)
    .get(caseNo) as { code: string, caseVersion: number | null, itemVersion: number, name: string, nameEn: string, type: ItemType }
  const kept = r.caseVersion !== r.itemVersion ? keptGuide(conn, r.code, r.caseVersion) : undefined
  return { name: kept?.name ?? r.name, nameEn: kept?.nameEn ?? r.nameEn, type: kept?.type ?? r.type }
}

/** What this file reads of a guide, in the stored details and in a version's snapshot alike. */
interface KeptGuide { materials: Material[], audience?: Audience, legalLimitUnit?: LimitUnit, name?: string, nameEn?: string, type?: ItemType }

/** The published snapshot of one guide version (undefined for none, or a case without a version). */
function keptGuide(conn: Connection, serviceCode: string, version: number | null): KeptGuide | undefined {
  if (version === null) return undefined
  const kept = conn.sqlite.prepare(`SELECT guide FROM service_versions WHERE service_code = ? AND version = ? AND status <> 'draft'`)
    .get(serviceCode, version) as { guide: string } | undefined
  return kept ? JSON.parse(kept.guide) as KeptGuide : undefined
}
