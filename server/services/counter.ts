/**
 * Counter intake (窗口收件): a clerk records an application made in person, with channel
 * `counter` so that the online-rate report counts it. The answers are validated with the item's
 * published form, except that file fields are never required: the paper materials are checked by
 * the clerk at the counter, ticked against the guide's list (case_paper_materials), and scans may
 * be attached but need not be. The receipt the clerk prints and hands over (收件凭证) is read here too.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { GuideDetails } from '../../db/schema'
import type { CaseReceipt } from '../../shared/types/case'
import type { FormDefinition, Material } from '../../shared/types/catalogue'
import { canonicalJson } from '../../shared/utils/canonical-json'
import { applicantAnswers, checkedApplicant, checkedCounterAnswers, counterApplicantSchema } from '../../shared/utils/counter-applicant'
import type { CounterApplicant } from '../../shared/utils/counter-applicant'
import { intakeDefinition } from '../../shared/utils/form-schema'
import { maskIdNumber, maskPersonalNumbers } from '../../shared/utils/mask'
import { sameApplicantAnswer, soleAccountOf } from './applicant-match'
import { ACCEPTANCE_LIMIT_DAYS, receiveCase } from './case-intake'
import { CaseError, caseInvalid } from './case-errors'
import { caseGuideMaterials } from './case-guide'
import type { CaseViewer } from './case-views'
import { findVisibleCase } from './case-views'
import { isOwnCase } from './recusal'
import { formVersionDefinition, storedForm } from './stored-forms'
import { maxApplicationBytes } from './upload-limits'
import { OWN_STILL } from './uploads'

// the applicant block and its check are shared with the counter page, which runs them before it
// sends (shared/utils/counter-applicant.ts); re-exported for the server's callers
export { checkedApplicant, counterApplicantSchema }
export type { CounterApplicant }

export interface CounterInput {
  serviceCode: string
  /**
   * The applicant block as sent (CounterApplicant when well formed). receiveCounterCase checks it
   * together with the answers, so that one refusal lists every field error: the block's under
   * `applicant.name`, `applicant.idNumber`, `applicant.mobile`, the answers' under their keys.
   */
  applicant: unknown
  answers: Record<string, unknown>
  /** the names of the guide's materials handed in on paper, as ticked at the counter (none when absent) */
  paperMaterials?: readonly string[]
  clerk: { id: number, role: string, departmentCode: string | null }
  ip?: string | null
}

// shared with the browser's correction form; re-exported for the server's callers
export { intakeDefinition }

/**
 * Answers the applicant block already gives (fields prefilled from name, ID number, mobile). The
 * block is who applies: an answer that names someone else would make one case about two people,
 * so it is refused rather than silently replaced. The same rule holds for a correction of a
 * counter case, with the case's recorded applicant as the block: the applicant of a case is who
 * it is, and a person recorded wrongly is a new case.
 */
export function withApplicantAnswers(def: FormDefinition, answers: Record<string, unknown>, applicant: Partial<CounterApplicant>): Record<string, unknown> {
  const { answers: out, mismatched } = applicantAnswers(def, answers, applicant, sameApplicantAnswer)
  if (Object.keys(mismatched).length) throw caseInvalid(mismatched, 'An answer names someone other than the applicant')
  return out
}

interface ServiceForCounter { departmentCode: string, status: string, audience: string, formVersionId: number | null, definition: string | null, details: string }

/**
 * The paper materials ticked at the counter: names from the item's guide (`guideNames`), each once.
 * A name the guide does not have is most often a material renamed or removed by a publication
 * since the clerk's page loaded the guide.
 */
export function paperMaterialsSchema(guideNames: readonly string[]) {
  const known = new Set(guideNames)
  return z.array(z.string().refine(name => known.has(name), { error: 'case.counterReceipt.errors.notInGuide' }), { error: 'validation.invalidType' })
    .refine(names => new Set(names).size === names.length, { error: 'case.counterReceipt.errors.duplicate' })
}

/** The ticked names in the order of the guide, which the receipt lists them in (rows are read by rowid). */
function inGuideOrder(names: readonly string[], guide: readonly Material[]): string[] {
  const position = new Map(guide.map((m, i) => [m.name, i]))
  return [...names].sort((a, b) => position.get(a)! - position.get(b)!)
}

/**
 * Receives a counter application; call inside a write transaction. The case is linked to the
 * applicant's portal account when exactly one citizen account has the same ID number, name and
 * mobile, and has proved by an SMS code that the mobile is its own (soleAccountOf), so it also
 * appears under "my cases"; otherwise it stays unlinked, as for a person without an account. For
 * an item for organisations the answers must name the organisation (its name and a valid USCC,
 * asked by the form or added by intakeDefinition): its licence is the organisation's, never the
 * person's at the counter.
 */
export function receiveCounterCase(conn: Connection, input: CounterInput, now = new Date()): { caseNo: string, channel: 'counter', receivedDate: string, deadline: string } {
  // the applicant block and the answers are judged together: one refusal lists every field
  // error, so the clerk corrects the whole intake at once rather than in rounds
  const block = checkedApplicant(input.applicant)
  const service = conn.sqlite.prepare(`SELECT s.department_code AS departmentCode, s.status, s.audience, s.form_version_id AS formVersionId, fv.definition, s.details
    FROM services s LEFT JOIN form_versions fv ON fv.id = s.form_version_id WHERE s.code = ?`).get(input.serviceCode) as ServiceForCounter | undefined
  if (!service || service.status !== 'published' || service.departmentCode !== input.clerk.departmentCode) {
    throw caseInvalid({ ...block.errors, serviceCode: 'case.errors.serviceNotYours' })
  }
  const def: FormDefinition = service.definition ? storedForm(service.definition) : { version: 1, fields: [] }
  // the block filled into the answers, which are checked by the item's form as the counter applies
  // it: the same check the counter page runs before it sends (checkedCounterAnswers)
  const { answers: filled, result, errors } = checkedCounterAnswers(def, service.audience, block, input.answers, sameApplicantAnswer)
  const guideMaterials = (JSON.parse(service.details) as GuideDetails).materials
  const paper = paperMaterialsSchema(guideMaterials.map(m => m.name)).safeParse(input.paperMaterials ?? [])
  if (!paper.success) errors.paperMaterials = paper.error.issues[0]!.message
  const materials: { uploadId: string, fieldKey: string, source: 'upload' }[] = []
  const sizes = new Map<string, number>()
  const answered = result.ok ? result.value : filled
  for (const f of def.fields) {
    if (f.type !== 'file' || errors[f.key]) continue
    const ids = answered[f.key]
    if (!Array.isArray(ids)) continue
    for (const id of ids) {
      // scans made at the counter are the clerk's uploads; anyone else's are not theirs to attach
      // and still theirs: a scan a case of another department holds is that department's (OWN_STILL)
      const own = typeof id === 'string'
        ? conn.sqlite.prepare(`SELECT size FROM uploads u WHERE u.id = @id AND u.owner_id = @user AND ${OWN_STILL}`)
          .get({ id, user: input.clerk.id, role: input.clerk.role, dept: input.clerk.departmentCode ?? '' }) as { size: number } | undefined
        : undefined
      if (!own) {
        errors[f.key] = 'validation.file'
        break
      }
      sizes.set(id as string, own.size)
      materials.push({ uploadId: id as string, fieldKey: f.key, source: 'upload' })
    }
  }
  if (!result.ok || !paper.success || Object.keys(errors).length) throw caseInvalid(errors)
  const applicant = block.applicant as CounterApplicant
  // 回避: a clerk's own application is taken in by a colleague
  if (isOwnCase(conn, input.clerk, applicant.idNumber)) throw caseInvalid({ 'applicant.idNumber': 'case.errors.ownCase' }, 'Recusal (回避): this is your own application')
  // the same limit on all files together as an online application
  if ([...sizes.values()].reduce((a, b) => a + b, 0) > maxApplicationBytes()) {
    const keys = new Set(materials.map(m => m.fieldKey))
    throw new CaseError(413, 'The files of this application are too large together', { fieldErrors: Object.fromEntries([...keys].map(k => [k, 'validation.applicationTooLarge'])) })
  }
  const account = soleAccountOf(conn, applicant)
  const received = receiveCase(conn, {
    serviceCode: input.serviceCode, channel: 'counter', formVersionId: service.formVersionId,
    applicant: { userId: account, name: applicant.name, idNumber: applicant.idNumber.toUpperCase(), mobile: applicant.mobile },
    answers: result.value, materials, actor: { id: input.clerk.id, role: input.clerk.role }, ip: input.ip,
  }, now)
  const handedIn = conn.sqlite.prepare('INSERT INTO case_paper_materials (case_no, name) VALUES (?, ?)')
  for (const name of inGuideOrder(paper.data, guideMaterials)) handedIn.run(received.caseNo, name)
  return { caseNo: received.caseNo, channel: 'counter', receivedDate: received.receivedDate, deadline: received.deadline }
}

/**
 * How long an intake's Idempotency-Key is remembered. A retry comes within seconds or minutes of
 * the lost answer; a day also covers a page left open over lunch, and keeps the table small.
 */
export const INTAKE_KEY_HOURS = 24

/**
 * What the counter page is told of an intake: enough for its notice and for the clerk to tell the
 * applicant at once when the department decides on acceptance. `deadline` is the case's deadline in
 * force, the acceptance deadline until the department decides; `paperMaterials` the names recorded.
 */
export interface CounterIntake {
  caseNo: string
  channel: 'counter'
  replayed: boolean
  receivedDate: string
  deadline: string
  serviceName: string
  serviceNameEn: string
  department: { code: string, name: string, nameEn: string }
  paperMaterials: string[]
}

/** The case as CounterIntake tells of it, the same for a new intake and a repeat of one. */
function intakeOf(conn: Connection, caseNo: string, replayed: boolean): CounterIntake {
  const row = conn.sqlite.prepare(`SELECT c.received_date AS receivedDate, c.deadline, s.name AS serviceName, s.name_en AS serviceNameEn,
      d.code AS deptCode, d.name AS deptName, d.name_en AS deptNameEn
    FROM cases c JOIN services s ON s.code = c.service_code JOIN departments d ON d.code = c.department_code WHERE c.case_no = ?`)
    .get(caseNo) as { receivedDate: string, deadline: string, serviceName: string, serviceNameEn: string, deptCode: string, deptName: string, deptNameEn: string }
  return {
    caseNo, channel: 'counter', replayed, receivedDate: row.receivedDate, deadline: row.deadline,
    serviceName: row.serviceName, serviceNameEn: row.serviceNameEn,
    department: { code: row.deptCode, name: row.deptName, nameEn: row.deptNameEn },
    paperMaterials: paperMaterialsOf(conn, caseNo),
  }
}

function paperMaterialsOf(conn: Connection, caseNo: string): string[] {
  return conn.sqlite.prepare('SELECT name FROM case_paper_materials WHERE case_no = ? ORDER BY rowid').pluck().all(caseNo) as string[]
}

/**
 * receiveCounterCase, once per key of the clerk's (`key`, the request's Idempotency-Key; null
 * without one). The counter page sends the same key again when the answer to an intake was lost
 * (a timeout, a dropped connection): the same key with the same request gives the case it made
 * (`replayed`), never a second case for one person at the counter. The same key with another
 * request means the page was changed after its answer was lost: 409 naming the case that was
 * made, for the clerk to open it or start a new intake. Call inside a write transaction.
 */
export function receiveCounterCaseOnce(conn: Connection, input: CounterInput, key: string | null, now = new Date()): CounterIntake {
  if (key === null) return intakeOf(conn, receiveCounterCase(conn, input, now).caseNo, false)
  // the block as checked (trimmed, the ID number's x as X) when it is well formed: a repeat that
  // differs only in that way is the same intake. The paper materials in any order, and only when
  // some were ticked: a key stored before they were sent still matches its repeat
  const block = counterApplicantSchema.safeParse(input.applicant)
  const paper = input.paperMaterials?.length ? { paperMaterials: [...input.paperMaterials].sort() } : {}
  const fingerprint = createHash('sha256')
    .update(canonicalJson({ serviceCode: input.serviceCode, applicant: block.success ? block.data : input.applicant, answers: input.answers, ...paper })).digest('hex')
  const since = new Date(now.getTime() - INTAKE_KEY_HOURS * 3_600_000).toISOString()
  const earlier = conn.sqlite.prepare(`SELECT fingerprint, case_no AS caseNo FROM counter_intake_keys
    WHERE clerk_id = ? AND key = ? AND created_at > ?`).get(input.clerk.id, key, since) as { fingerprint: string, caseNo: string } | undefined
  if (earlier && earlier.fingerprint !== fingerprint) {
    throw new CaseError(409, 'This intake was already recorded, with other details', { fieldErrors: { serviceCode: 'case.errors.intakeAlreadyRecorded' }, caseNo: earlier.caseNo })
  }
  if (earlier) return intakeOf(conn, earlier.caseNo, true)
  const made = receiveCounterCase(conn, input, now)
  // REPLACE: a key older than INTAKE_KEY_HOURS that the hourly clean-up has not removed yet
  conn.sqlite.prepare(`INSERT OR REPLACE INTO counter_intake_keys (clerk_id, key, fingerprint, case_no, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run(input.clerk.id, key, fingerprint, made.caseNo, now.toISOString())
  return intakeOf(conn, made.caseNo, false)
}

/**
 * The receipt of a case the viewer may see (a clerk their department's, a manager any), else
 * undefined. The tracking address is under PORTAL_BASE_URL when set, else `requestOrigin`, as
 * verificationUrl does for what is shown to the caller there and then (results.ts).
 */
export function caseReceipt(conn: Connection, caseNo: string, viewer: CaseViewer, requestOrigin = ''): CaseReceipt | undefined {
  const row = findVisibleCase(conn, caseNo, viewer)
  if (!row) return undefined
  const about = conn.sqlite.prepare(`SELECT s.name AS serviceName, s.name_en AS serviceNameEn, s.location, s.hours, s.consult_phone AS consultPhone,
      d.name AS deptName, d.name_en AS deptNameEn, u.name AS receivedBy
    FROM services s JOIN departments d ON d.code = @dept LEFT JOIN users u ON u.id = @createdBy AND @channel = 'counter'
    WHERE s.code = @service`).get({ dept: row.departmentCode, createdBy: row.createdBy, channel: row.channel, service: row.serviceCode }) as
    { serviceName: string, serviceNameEn: string, location: string, hours: string, consultPhone: string, deptName: string, deptNameEn: string, receivedBy: string | null }
  const asked = new Map(caseGuideMaterials(conn, caseNo).map(m => [m.name, m]))
  const form = formVersionDefinition(conn, row.formVersionId)
  const scans = conn.sqlite.prepare(`SELECT m.field_key AS fieldKey, u.name FROM case_materials m JOIN uploads u ON u.id = m.upload_id
    WHERE m.case_no = ? ORDER BY m.field_key, u.created_at`).all(caseNo) as { fieldKey: string, name: string }[]
  return {
    caseNo, channel: row.channel, status: row.status, processType: row.processType,
    serviceCode: row.serviceCode, serviceName: about.serviceName, serviceNameEn: about.serviceNameEn,
    department: { code: row.departmentCode, name: about.deptName, nameEn: about.deptNameEn },
    applicant: { name: row.applicantName, idNumberMasked: maskIdNumber(row.applicantIdNumber) },
    receivedDate: row.receivedDate, submittedAt: row.submittedAt,
    acceptanceDeadline: row.status === 'submitted' && !row.acceptedAt ? row.deadline : null, acceptanceLimitDays: ACCEPTANCE_LIMIT_DAYS,
    location: about.location, hours: about.hours, consultPhone: about.consultPhone,
    receivedBy: about.receivedBy ?? null, linkedAccount: row.applicantId !== null,
    trackUrl: `${(process.env.PORTAL_BASE_URL || requestOrigin).replace(/\/+$/, '')}/track`,
    paperMaterials: paperMaterialsOf(conn, caseNo).map((name) => {
      const m = asked.get(name)
      return { name, materialType: m?.materialType ?? null, copies: m?.copies ?? null }
    }),
    // staff only read a receipt: a scan named after its holder's ID number is masked, as on the case
    scans: scans.map(s => ({ ...s, name: maskPersonalNumbers(s.name), fieldLabel: form?.fields.find(f => f.key === s.fieldKey)?.label ?? null })),
  }
}

/** Removes intake keys older than INTAKE_KEY_HOURS; returns how many. Its own short write transaction. */
export function forgetOldIntakeKeys(conn: Connection, now = new Date()): number {
  const before = new Date(now.getTime() - INTAKE_KEY_HOURS * 3_600_000).toISOString()
  return writeTransaction(conn, () => conn.sqlite.prepare('DELETE FROM counter_intake_keys WHERE created_at <= ?').run(before).changes)
}
