/**
 * Receiving a case, online or at the counter: one case number, the deadline for deciding on
 * acceptance, the first event, the materials, the daily counts, the audit row and the notice.
 * Call inside a write transaction (inWriteTransaction / writeTransaction): all of it or nothing.
 */
import type { Connection } from '../../db/client'
import type { FormDefinition } from '../../shared/types/catalogue'
import { formatCaseNo } from '../../shared/utils/case-number'
import { instantCountStart, shanghaiDateOf } from '../../shared/utils/working-days'
import { writeAudit } from './audit'
import { workingDaysAfter } from './calendar'
import { notifyApplicant } from './notifications'

/** Working days a department has to decide whether to accept a case (受理时限). */
export const ACCEPTANCE_LIMIT_DAYS = 5

export interface NewCase {
  serviceCode: string
  channel: 'online' | 'counter'
  formVersionId: number | null
  applicationId?: string | null
  applicant: { userId: number | null, organizationId?: number | null, name: string, idNumber: string, mobile: string | null }
  answers: Record<string, unknown>
  materials: { uploadId: string, fieldKey: string, source: 'upload' | 'shared' }[]
  /** who recorded it: the clerk at the counter, or the applicant online */
  actor: { id: number, role: string }
  ip?: string | null
}

export interface ReceivedCase { caseNo: string, status: 'submitted', deadline: string, receivedDate: string, departmentCode: string }

/** The next number of the day, issued inside the transaction so that two cases never share one. */
export function nextCaseNo(conn: Connection, day: string): string {
  const { last } = conn.sqlite.prepare(`INSERT INTO case_sequences (day, last) VALUES (?, 1)
    ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`).get(day) as { last: number }
  return formatCaseNo(day, last)
}

/** Adds to the day's counts that the online-rate report reads. */
export function countReceived(conn: Connection, day: string, departmentCode: string, channel: 'online' | 'counter'): void {
  conn.sqlite.prepare(`INSERT INTO case_daily (day, department_code, received, received_online) VALUES (?, ?, 1, ?)
    ON CONFLICT(day, department_code) DO UPDATE SET received = received + 1, received_online = received_online + excluded.received_online`)
    .run(day, departmentCode, channel === 'online' ? 1 : 0)
}

/** How a completion (approved or rejected) counts: in time or late, after how many working days, with its limit extended or not. */
export interface Completion { onTime: boolean, handlingDays: number, extended: boolean }

/** Adds a completion to the day's counts. */
export function countCompleted(conn: Connection, day: string, departmentCode: string, c: Completion): void {
  conn.sqlite.prepare(`INSERT INTO case_daily (day, department_code, completed, completed_on_time, handling_days, completed_extended) VALUES (?, ?, 1, ?, ?, ?)
    ON CONFLICT(day, department_code) DO UPDATE SET completed = completed + 1,
      completed_on_time = completed_on_time + excluded.completed_on_time, handling_days = handling_days + excluded.handling_days,
      completed_extended = completed_extended + excluded.completed_extended`)
    .run(day, departmentCode, c.onTime ? 1 : 0, c.handlingDays, c.extended ? 1 : 0)
}

/**
 * The answers that name the organisation (the fields filled from its name and code) must name the
 * one the case is for: the clerk reads the answers, the licence goes to the record. The field
 * errors ('validation.notTheOrganization'), none for a person's case. Checked at submission and
 * again on the answers a correction leaves, so a correction cannot make it another company's case.
 */
export function otherOrganizationErrors(conn: Connection, def: FormDefinition, answers: Record<string, unknown>, organizationId: number | null): Record<string, string> {
  if (organizationId === null) return {}
  const org = conn.sqlite.prepare('SELECT name, uscc FROM organizations WHERE id = ?').get(organizationId) as { name: string, uscc: string }
  const expected: Partial<Record<string, string>> = { orgName: org.name, orgCode: org.uscc }
  const normal = (v: unknown) => (typeof v === 'string' ? v.replace(/\s+/g, '').toUpperCase() : v)
  const errors: Record<string, string> = {}
  for (const f of def.fields) {
    const want = f.prefill ? expected[f.prefill] : undefined
    if (want !== undefined && Object.hasOwn(answers, f.key) && normal(answers[f.key]) !== normal(want)) errors[f.key] = 'validation.notTheOrganization'
  }
  return errors
}

/**
 * The uploads among `ids` that are the PDF copy of an organisation's e-licence (results.upload_id)
 * held by another organisation than the one the case is for (`organizationId`, null for the
 * person's own case). The shared library offers an organisation's licence only when applying for
 * that organisation, never for the person themselves (results.ts, fitsApplication); the copy, once
 * made, stays among the person's uploads, so submissions and corrections are held to the same rule.
 * An organisation's licence with no organisation record (a counter case's) serves no application:
 * `holder_org_id IS NOT ?` alone is IS NOT NULL for the person's own case, and let it through.
 * A person's own licence may serve any of their applications, as there.
 */
export function licenceCopiesOfOthers(conn: Connection, ids: readonly string[], organizationId: number | null): Set<string> {
  if (ids.length === 0) return new Set()
  // one statement for all the files: results has no index on upload_id, so each look-up is a scan
  const rows = conn.sqlite.prepare(`SELECT upload_id AS id FROM results WHERE upload_id IN (SELECT value FROM json_each(?))
    AND holder_kind = 'organization' AND (holder_org_id IS NULL OR holder_org_id IS NOT ?)`).all(JSON.stringify([...new Set(ids)]), organizationId) as { id: string }[]
  return new Set(rows.map(r => r.id))
}

export function receiveCase(conn: Connection, c: NewCase, now = new Date()): ReceivedCase {
  // the terms the applicant is given now are the case's: a later guide version does not change them
  const service = conn.sqlite.prepare(`SELECT department_code AS departmentCode, process_type AS processType, version AS guideVersion,
      promised_limit_days AS promisedLimitDays, legal_limit_days AS legalLimitDays FROM services WHERE code = ?`)
    .get(c.serviceCode) as { departmentCode: string, processType: 'instant' | 'promised', guideVersion: number, promisedLimitDays: number, legalLimitDays: number } | undefined
  if (!service) throw new Error(`unknown service ${c.serviceCode}`)
  const at = now.toISOString()
  const receivedDate = shanghaiDateOf(now)
  const caseNo = nextCaseNo(conn, receivedDate)
  // An instant item (即办件) is decided the same working day, the next when it arrives after the
  // offices close (instantCountStart); others get 5 working days to decide on acceptance.
  const deadline = service.processType === 'instant' ? workingDaysAfter(conn, instantCountStart(now), 1) : workingDaysAfter(conn, receivedDate, ACCEPTANCE_LIMIT_DAYS)
  conn.sqlite.prepare(`INSERT INTO cases (case_no, application_id, service_code, department_code, form_version_id, applicant_id, organization_id,
      applicant_name, applicant_id_number, applicant_mobile, channel, status, version, process_type, guide_version, promised_limit_days, legal_limit_days,
      answers, received_date, submitted_at, deadline, created_by)
    VALUES (@caseNo, @applicationId, @serviceCode, @departmentCode, @formVersionId, @applicantId, @organizationId,
      @name, @idNumber, @mobile, @channel, 'submitted', 1, @processType, @guideVersion, @promisedLimitDays, @legalLimitDays,
      @answers, @receivedDate, @at, @deadline, @createdBy)`).run({
    caseNo, applicationId: c.applicationId ?? null, serviceCode: c.serviceCode, departmentCode: service.departmentCode,
    formVersionId: c.formVersionId, applicantId: c.applicant.userId, organizationId: c.applicant.organizationId ?? null,
    name: c.applicant.name, idNumber: c.applicant.idNumber, mobile: c.applicant.mobile, channel: c.channel,
    processType: service.processType, guideVersion: service.guideVersion, promisedLimitDays: service.promisedLimitDays, legalLimitDays: service.legalLimitDays,
    answers: JSON.stringify(c.answers), receivedDate, at, deadline, createdBy: c.actor.id,
  })
  const event = conn.sqlite.prepare(`INSERT INTO case_events (case_no, at, action, from_status, to_status, actor_id, actor_role)
    VALUES (?, ?, 'submit', NULL, 'submitted', ?, ?)`).run(caseNo, at, c.actor.id, c.actor.role)
  const attach = conn.sqlite.prepare('INSERT OR IGNORE INTO case_materials (case_no, upload_id, field_key, source) VALUES (?, ?, ?, ?)')
  for (const m of c.materials) attach.run(caseNo, m.uploadId, m.fieldKey, m.source)
  countReceived(conn, receivedDate, service.departmentCode, c.channel)
  conn.sqlite.prepare('UPDATE services SET use_count = use_count + 1 WHERE code = ?').run(c.serviceCode)
  // at the counter, the account the case was linked to (or none) is a decision of its own: it gives
  // that account the case, its files and its licence
  // and the organisation record the case is for (null: the person's own, or a counter case's, whose
  // organisation only its answers name)
  const organizationId = c.applicant.organizationId ?? null
  const detail = c.channel === 'counter'
    ? { channel: c.channel, serviceCode: c.serviceCode, linkedAccount: c.applicant.userId, organizationId }
    : { channel: c.channel, serviceCode: c.serviceCode, organizationId }
  writeAudit(conn, { actorId: c.actor.id, actorRole: c.actor.role, action: 'case.submit', subject: caseNo, detail, ip: c.ip })
  notifyApplicant(conn, { caseNo, applicantId: c.applicant.userId, mobile: c.applicant.mobile, kind: 'submitted', eventId: Number(event.lastInsertRowid), params: { deadline }, at })
  return { caseNo, status: 'submitted', deadline, receivedDate, departmentCode: service.departmentCode }
}
