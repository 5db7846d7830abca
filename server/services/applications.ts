/**
 * Online applications: drafts that save as the person goes, and their submission as a case.
 * What the answers are held to on the way is application-answers.ts.
 */
import { randomBytes } from 'node:crypto'
import type { Connection } from '../../db/client'
import type { Role } from '../../db/schema'
import type { FormDefinition } from '../../shared/types/catalogue'
import { normalizedAnswer, validateAnswers } from '../../shared/utils/form-schema'
import type { Answers } from '../../shared/utils/form-schema'
import type { Status } from '../../shared/utils/workflow'
import { checkDraftAnswers, checkFiles, draftValueProblem, fileAnswers, notTheApplicantErrors, refuseOtherOrganization } from './application-answers'
import type { PersonOnRecord } from './application-answers'
import { ApplicationError } from './application-errors'
import { writeAudit } from './audit'
import { HELD_BY_A_CASE } from './case-corrections'
import { isAvailableOnline } from './catalogue'
import { receiveCase } from './case-intake'
import { storedForm } from './stored-forms'

export interface Actor { id: number, role: Role }

export interface Draft {
  id: string
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  answers: Answers
  status: 'draft' | 'submitted'
  formVersion: number
  organizationId: number | null
  caseNo: string | null
  createdAt: string
  updatedAt: string
  form: FormDefinition
}

interface OnlineForm { serviceCode: string, formVersionId: number, definition: FormDefinition, audience: string }

/** The published form of an item available online (depth Ⅲ or Ⅳ), or null. */
export function findOnlineForm(conn: Connection, serviceCode: string): OnlineForm | null {
  const row = conn.sqlite.prepare(`SELECT s.code AS serviceCode, s.form_version_id AS formVersionId, fv.definition, s.audience
    FROM services s JOIN form_versions fv ON fv.id = s.form_version_id
    WHERE s.code = ? AND s.status = 'published' AND s.online_depth >= 3`).get(serviceCode) as (Omit<OnlineForm, 'definition'> & { definition: string }) | undefined
  return row ? { ...row, definition: storedForm(row.definition) } : null
}

interface DraftRow {
  id: string, serviceCode: string, serviceName: string, serviceNameEn: string, answers: string, status: 'draft' | 'submitted'
  formVersion: number, formVersionId: number, definition: string, organizationId: number | null, caseNo: string | null
  createdAt: string, updatedAt: string, userId: number, serviceStatus: string, audience: string
  /** the item's online depth and published form now (the draft keeps the form it began with) */
  onlineDepth: number, currentFormVersionId: number | null
}

function loadOwn(conn: Connection, id: string, userId: number): DraftRow | null {
  return (conn.sqlite.prepare(`SELECT a.id, a.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
      a.answers, a.status, fv.version AS formVersion, a.form_version_id AS formVersionId, fv.definition,
      a.organization_id AS organizationId, a.case_no AS caseNo, a.created_at AS createdAt, a.updated_at AS updatedAt, a.user_id AS userId,
      s.status AS serviceStatus, s.audience, s.online_depth AS onlineDepth, s.form_version_id AS currentFormVersionId
    FROM applications a JOIN services s ON s.code = a.service_code JOIN form_versions fv ON fv.id = a.form_version_id
    WHERE a.id = ? AND a.user_id = ?`).get(id, userId) as DraftRow | undefined) ?? null
}

function toDraft(r: DraftRow): Draft {
  return {
    id: r.id, serviceCode: r.serviceCode, serviceName: r.serviceName, serviceNameEn: r.serviceNameEn,
    answers: JSON.parse(r.answers) as Answers, status: r.status, formVersion: r.formVersion,
    organizationId: r.organizationId, caseNo: r.caseNo, createdAt: r.createdAt, updatedAt: r.updatedAt,
    form: storedForm(r.definition),
  }
}

/** One of the person's applications, or null (someone else's reads as absent). */
export function getOwnApplication(conn: Connection, id: string, userId: number): Draft | null {
  const row = loadOwn(conn, id, userId)
  return row ? toDraft(row) : null
}

function checkedAnswers(conn: Connection, userId: number, def: FormDefinition, answers: unknown, organizationId: number | null): Answers {
  const checked = checkDraftAnswers(def, answers)
  if (!checked.ok) throw new ApplicationError(400, 'The answers have invalid fields', checked.fieldErrors)
  checkFiles(conn, userId, def, checked.value, organizationId)
  return checked.value
}

/**
 * Why a draft for this audience cannot be (or no longer be) for this organisation (null: the
 * person's own), or null. An item for organisations is applied for on behalf of one (its case and
 * licence are the organisation's); an item for people is never an organisation's (its licence would
 * be issued to the company); the organisation must be one of the person's.
 */
function audienceProblem(conn: Connection, userId: number, audience: string, organizationId: number | null): { key: string, message: string } | null {
  if (audience === 'organization' && organizationId === null) return { key: 'validation.organizationRequired', message: 'This item is applied for on behalf of one of your organisations' }
  if (audience === 'person' && organizationId !== null) return { key: 'validation.organizationNotAllowed', message: 'This item is for people, not organisations' }
  if (organizationId !== null && !conn.sqlite.prepare('SELECT 1 FROM organizations WHERE id = ? AND user_id = ?').get(organizationId, userId)) {
    return { key: 'validation.organization', message: 'Not one of your organisations' }
  }
  return null
}

/** What a submission answers when the item's audience no longer fits the draft (changed since it began). */
const AUDIENCE_CHANGED: Partial<Record<string, string>> = {
  'validation.organizationRequired': 'validation.audienceNowOrganization',
  'validation.organizationNotAllowed': 'validation.audienceNowPerson',
}

/** Starts a draft with the item's current form. Call inside a write transaction. */
export function createDraft(conn: Connection, actor: Actor, input: { serviceCode: string, answers: unknown, organizationId?: number | null, ip?: string | null }, now = new Date()): Draft {
  const form = findOnlineForm(conn, input.serviceCode)
  if (!form) throw new ApplicationError(404, 'No online form for this item')
  const problem = audienceProblem(conn, actor.id, form.audience, input.organizationId ?? null)
  if (problem) throw new ApplicationError(400, problem.message, { organizationId: problem.key })
  const answers = checkedAnswers(conn, actor.id, form.definition, input.answers, input.organizationId ?? null)
  const id = randomBytes(16).toString('base64url')
  const at = now.toISOString()
  conn.sqlite.prepare(`INSERT INTO applications (id, user_id, service_code, form_version_id, organization_id, answers, status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?)`).run(id, actor.id, form.serviceCode, form.formVersionId, input.organizationId ?? null, JSON.stringify(answers), at, at)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'application.create', subject: id, detail: { serviceCode: form.serviceCode, organizationId: input.organizationId ?? null }, ip: input.ip })
  return toDraft(loadOwn(conn, id, actor.id)!)
}

/**
 * Saves a draft's answers (the whole set). Call inside a write transaction. `basedOn`: the
 * `updatedAt` of the draft the page last loaded or saved; a draft saved since (the same draft open
 * in another tab) answers 409 instead of being overwritten with answers that lack the other tab's,
 * and the page offers to load those or keep its own (saving again based on the newer one).
 */
export function saveDraft(conn: Connection, actor: Actor, id: string, answers: unknown, now = new Date(), basedOn?: string): Draft {
  const row = loadOwn(conn, id, actor.id)
  if (!row) throw new ApplicationError(404, 'Not found')
  if (row.status !== 'draft') throw new ApplicationError(409, 'This application has been submitted')
  if (basedOn !== undefined && basedOn !== row.updatedAt) throw new ApplicationError(409, 'The draft was saved meanwhile in another window')
  const value = checkedAnswers(conn, actor.id, storedForm(row.definition), answers, row.organizationId)
  conn.sqlite.prepare('UPDATE applications SET answers = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(value), now.toISOString(), id)
  return toDraft(loadOwn(conn, id, actor.id)!)
}

/** Discards a draft (its uploads stay in "my materials"). Call inside a write transaction. */
export function discardDraft(conn: Connection, actor: Actor, id: string, ip?: string | null): void {
  const row = loadOwn(conn, id, actor.id)
  if (!row) throw new ApplicationError(404, 'Not found')
  if (row.status !== 'draft') throw new ApplicationError(409, 'A submitted application cannot be discarded')
  conn.sqlite.prepare(`DELETE FROM applications WHERE id = ? AND status = 'draft'`).run(id)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'application.discard', subject: id, ip })
}

export interface ApplicationListItem {
  id: string, serviceCode: string, serviceName: string, serviceNameEn: string
  status: 'draft' | 'submitted', caseNo: string | null, organizationId: number | null, createdAt: string, updatedAt: string
}

export interface OwnApplicationsFilter {
  status?: 'draft' | 'submitted'
  serviceCode?: string
  /** Whom the applications are for: one of the person's organisations, or null for the person themself; undefined for both. */
  organizationId?: number | null
  page: number
  pageSize: number
}

/**
 * The person's applications, most recently touched first. The filters only narrow the person's
 * own rows (user_id always applies), so an organisation or item code of someone else finds nothing.
 */
export function listOwnApplications(conn: Connection, userId: number, f: OwnApplicationsFilter) {
  const conditions = ['a.user_id = @user']
  if (f.status) conditions.push('a.status = @status')
  if (f.serviceCode) conditions.push('a.service_code = @serviceCode')
  if (f.organizationId === null) conditions.push('a.organization_id IS NULL')
  else if (f.organizationId !== undefined) conditions.push('a.organization_id = @organization')
  const where = conditions.join(' AND ')
  const params = { user: userId, status: f.status ?? null, serviceCode: f.serviceCode ?? null, organization: f.organizationId ?? null }
  const total = (conn.sqlite.prepare(`SELECT count(*) AS n FROM applications a WHERE ${where}`).get(params) as { n: number }).n
  const items = conn.sqlite.prepare(`SELECT a.id, a.service_code AS serviceCode, s.name AS serviceName, s.name_en AS serviceNameEn,
      a.status, a.case_no AS caseNo, a.organization_id AS organizationId, a.created_at AS createdAt, a.updated_at AS updatedAt
    FROM applications a JOIN services s ON s.code = a.service_code WHERE ${where}
    ORDER BY a.updated_at DESC, a.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: f.pageSize, offset: (f.page - 1) * f.pageSize }) as ApplicationListItem[]
  return { items, total, page: f.page, pageSize: f.pageSize }
}

/** `status`: 'submitted' for a new case; for a repeated submit, the case's status now (a retry after the clerk accepted it). */
export interface Submitted { caseNo: string, status: Status, deadline: string, replayed: boolean }

/**
 * Submits a draft as a case. Call inside ONE write transaction: it reads the application's status
 * first, so a second submit (double click, a retry after a timeout) finds it submitted and gets
 * the same case back (`replayed`), never a second case.
 */
export function submitApplication(conn: Connection, actor: Actor, id: string, ip?: string | null, now = new Date()): Submitted {
  const row = loadOwn(conn, id, actor.id)
  if (!row) throw new ApplicationError(404, 'Not found')
  if (row.status === 'submitted' && row.caseNo) {
    const c = conn.sqlite.prepare('SELECT status, deadline FROM cases WHERE case_no = ?').get(row.caseNo) as { status: Status, deadline: string }
    return { caseNo: row.caseNo, status: c.status, deadline: c.deadline, replayed: true }
  }
  // a draft outlives its item: once the item is withdrawn from the catalogue (no longer handled,
  // or replaced by another), nothing may be applied for under it, online as at the counter
  if (row.serviceStatus !== 'published') throw new ApplicationError(409, 'This service has been withdrawn: it can no longer be applied for', undefined, 'withdrawn')
  // nor once it is no longer applied for online (its guide now says at the counter, or its form was
  // taken down): createDraft's rule (findOnlineForm), again. The draft stays for the person to read;
  // submitted, it would be an online case of an item the reports count as not available online.
  if (!isAvailableOnline(row.onlineDepth, row.currentFormVersionId !== null)) {
    throw new ApplicationError(409, 'This service is no longer applied for online: apply at the service counter, as its guide says', undefined, 'notOnline')
  }
  // the audience rule of createDraft, again: an administrator may have changed the item's audience
  // since the draft began (an organisation's licence for an item for people, or the reverse). The
  // draft stays, for the person to read and apply again as the item now allows.
  const problem = audienceProblem(conn, actor.id, row.audience, row.organizationId)
  if (problem) {
    throw new ApplicationError(409, `${problem.message}: the draft no longer fits the item`, { organizationId: AUDIENCE_CHANGED[problem.key] ?? problem.key })
  }
  const def = storedForm(row.definition)
  const stored = JSON.parse(row.answers) as Answers
  const person = conn.sqlite.prepare('SELECT name, id_number AS idNumber, mobile FROM users WHERE id = ?')
    .get(actor.id) as PersonOnRecord
  // judged with the form's own errors, so that one answer lists every field to correct (a well
  // formed ID number of someone else as much as a missing answer); the form's error comes first
  // for a field that has both (a bad checksum says more than "not yours")
  const notTheApplicant = notTheApplicantErrors(def, stored, person, row.organizationId)
  const result = validateAnswers(def, stored)
  if (!result.ok) throw new ApplicationError(400, 'The application is not complete', { ...notTheApplicant, ...result.fieldErrors })
  if (Object.keys(notTheApplicant).length) throw new ApplicationError(400, 'An answer names someone other than the account holder', notTheApplicant)
  refuseOtherOrganization(conn, def, result.value, row.organizationId)
  const own = checkFiles(conn, actor.id, def, result.value, row.organizationId)
  // "shared": the file came from the person's library, i.e. was used in a case (also one a
  // correction has since replaced on it) or uploaded before this application began
  const usedBefore = conn.sqlite.prepare(`SELECT 1 FROM uploads u WHERE u.id = ? AND ${HELD_BY_A_CASE}`)
  const materials = fileAnswers(def, result.value).flatMap(([fieldKey, ids]) => ids.map(uploadId => ({
    uploadId, fieldKey,
    source: (usedBefore.get(uploadId) || own.get(uploadId)!.createdAt < row.createdAt ? 'shared' : 'upload') as 'shared' | 'upload',
  })))
  const received = receiveCase(conn, {
    serviceCode: row.serviceCode, channel: 'online', formVersionId: row.formVersionId, applicationId: row.id,
    applicant: { userId: actor.id, organizationId: row.organizationId, name: person.name, idNumber: person.idNumber ?? '', mobile: person.mobile },
    answers: result.value, materials, actor, ip,
  }, now)
  conn.sqlite.prepare(`UPDATE applications SET status = 'submitted', case_no = ?, answers = ?, updated_at = ? WHERE id = ? AND status = 'draft'`)
    .run(received.caseNo, JSON.stringify(result.value), now.toISOString(), id)
  return { caseNo: received.caseNo, status: 'submitted', deadline: received.deadline, replayed: false }
}

/**
 * Answers the profile can fill in for a form: the person's name, ID number, mobile and e-mail,
 * and, when applying for one of their organisations, its name and code. A value the draft would
 * refuse (longer than the maxLength the form's builder chose) is left out for the person to type:
 * the draft starts with the prefill, and one refused answer would stop the application starting.
 * Null for an item without an online form; 400 for an organisation that is not theirs.
 */
export function prefillAnswers(conn: Connection, userId: number, serviceCode: string, organizationId?: number | null): Answers | null {
  const form = findOnlineForm(conn, serviceCode)
  if (!form) return null
  const person = conn.sqlite.prepare('SELECT name, id_number AS idNumber, mobile, email FROM users WHERE id = ?')
    .get(userId) as { name: string, idNumber: string | null, mobile: string | null, email: string | null }
  let org: { orgName: string, orgCode: string } | undefined
  if (organizationId != null) {
    org = conn.sqlite.prepare('SELECT name AS orgName, uscc AS orgCode FROM organizations WHERE id = ? AND user_id = ?')
      .get(organizationId, userId) as typeof org
    if (!org) throw new ApplicationError(400, 'Not one of your organisations', { organizationId: 'validation.organization' })
  }
  const sources: Record<string, string | null | undefined> = { ...person, ...org }
  const out = new Map<string, unknown>()
  for (const f of form.definition.fields) {
    const v = f.prefill ? sources[f.prefill] : undefined
    if (v && draftValueProblem(f, normalizedAnswer(f, v)) === null) out.set(f.key, v)
  }
  return Object.fromEntries(out)
}
