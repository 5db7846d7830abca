/**
 * Catalogue management (issue 8): administrators, and a department's own clerks for their
 * department's items, create items, edit the guide and the form as drafts and publish them.
 * Published versions are never edited: a publication writes a new row and supersedes the old
 * one, so a case keeps the form version it was submitted with. Call the writes inside one write
 * transaction (inWriteTransaction): each writes its audit row there too. The form's draft and
 * publication: catalogue-admin-form.ts.
 */
import type { Connection } from '../../db/client'
import { indexService, registerSearchFold, searchText } from '../../db/search-index'
import type { FormDefinition, ServiceGuide } from '../../shared/types/catalogue'
import type { GuideContext, GuideInput, GuideProblem } from '../../shared/utils/guide-schema'
import { guideProblems, guideShapeSchema } from '../../shared/utils/guide-schema'
import { guideDetails } from '../../shared/utils/guide-optional'
import { formDefinitionProblems } from '../../shared/utils/form-definition'
import type { Page } from '../../shared/utils/query'
import { writeAudit } from './audit'
import { getGuide } from './catalogue'
import { publishedTextHash } from './published-versions-check'

export interface Actor { id: number, role: string, departmentCode: string | null, ip?: string | null }

/** A refusal with the HTTP status the handler answers; `problems` for 400s. */
export class CatalogueAdminError extends Error {
  constructor(readonly statusCode: 400 | 404 | 409, message: string, readonly problems?: GuideProblem[]) {
    super(message)
    this.name = 'CatalogueAdminError'
  }
}

/** What the handler passes to createError: status, message and `data.{ problems, fieldErrors }`. */
export function adminHttpError(e: unknown) {
  if (!(e instanceof CatalogueAdminError)) return e as Error
  const data = e.problems ? { problems: e.problems, fieldErrors: fieldErrorsOfProblems(e.problems) } : undefined
  return { statusCode: e.statusCode, message: e.message, data }
}

/** First message per field, the contract's `data.fieldErrors`. */
export function fieldErrorsOfProblems(problems: GuideProblem[]): Record<string, string> {
  const out = new Map<string, string>()
  for (const p of problems) if (!out.has(p.field)) out.set(p.field, p.message)
  return Object.fromEntries(out)
}

const notFound = () => new CatalogueAdminError(404, 'Not found')

/** Departments and themes that exist, to check guides against. */
export function guideContext(conn: Connection, withExistingCodes = false): GuideContext {
  const departments = (conn.sqlite.prepare('SELECT code FROM departments').all() as { code: string }[]).map(d => d.code)
  const themes = conn.sqlite.prepare('SELECT code, audience FROM themes').all() as { code: string, audience: 'person' | 'organization' }[]
  const existingCodes = withExistingCodes ? (conn.sqlite.prepare('SELECT code FROM services').all() as { code: string }[]).map(s => s.code) : undefined
  return { departments, themes, existingCodes }
}

export interface ServiceRef { code: string, departmentCode: string, status: 'draft' | 'published' | 'withdrawn', version: number, formVersionId: number | null }

/** The item if the actor may manage it: admins every item, a clerk their department's (else null: a 404). */
export function findManagedService(conn: Connection, actor: Actor, code: string): ServiceRef | null {
  const dept = actor.role === 'admin' ? null : actor.departmentCode ?? '\u0000'
  const row = conn.sqlite.prepare(`SELECT code, department_code AS departmentCode, status, version, form_version_id AS formVersionId
    FROM services WHERE code = @code AND (@dept IS NULL OR department_code = @dept)`).get({ code, dept }) as ServiceRef | undefined
  return row ?? null
}

export function requireManaged(conn: Connection, actor: Actor, code: string): ServiceRef {
  const row = findManagedService(conn, actor, code)
  if (!row) throw notFound()
  return row
}

export interface ManagedListItem {
  code: string, name: string, nameEn: string, department: { code: string, name: string }
  status: 'draft' | 'published' | 'withdrawn', version: number, hasDraft: boolean, hasFormDraft: boolean, hasForm: boolean, updatedAt: string
}

export interface ManagedFilters { q?: string, dept?: string, status?: 'draft' | 'published' | 'withdrawn', page: number, pageSize: number }

/** Items the actor manages, every status, by code; `q` matches code or names, folded like the public search. */
export function listManagedServices(conn: Connection, actor: Actor, f: ManagedFilters): Page<ManagedListItem> {
  const where = ['1 = 1']
  const params: Record<string, string | number> = {}
  if (actor.role !== 'admin') { where.push('s.department_code = :own'); params.own = actor.departmentCode ?? '\u0000' }
  if (f.dept) { where.push('s.department_code = :dept'); params.dept = f.dept }
  if (f.status) { where.push('s.status = :status'); params.status = f.status }
  const q = searchText(f.q)
  if (q) {
    // folded on both sides as the public search is (ＳＺ finds SZ and the reverse); codes are ASCII
    registerSearchFold(conn)
    where.push(`(s.code LIKE :q ESCAPE '\\' OR search_fold(s.name) LIKE :q ESCAPE '\\' OR search_fold(s.name_en) LIKE :q ESCAPE '\\')`)
    params.q = `%${q.replace(/[\\%_]/g, c => `\\${c}`)}%`
  }
  const w = where.join(' AND ')
  const total = (conn.sqlite.prepare(`SELECT count(*) AS n FROM services s WHERE ${w}`).get(params) as { n: number }).n
  const rows = conn.sqlite.prepare(`SELECT s.code, s.name, s.name_en AS nameEn, s.department_code AS deptCode, d.name AS deptName,
      s.status, s.version, s.updated_at AS updatedAt, (s.form_version_id IS NOT NULL) AS hasForm,
      EXISTS (SELECT 1 FROM service_versions v WHERE v.service_code = s.code AND v.status = 'draft') AS hasDraft,
      EXISTS (SELECT 1 FROM form_versions f WHERE f.service_code = s.code AND f.status = 'draft') AS hasFormDraft
    FROM services s JOIN departments d ON d.code = s.department_code WHERE ${w}
    ORDER BY s.code LIMIT :limit OFFSET :offset`).all({ ...params, limit: f.pageSize, offset: (f.page - 1) * f.pageSize }) as (Omit<ManagedListItem, 'department' | 'hasDraft' | 'hasFormDraft' | 'hasForm'> & { deptCode: string, deptName: string, hasDraft: number, hasFormDraft: number, hasForm: number })[]
  const items = rows.map(({ deptCode, deptName, ...r }) => ({ ...r, department: { code: deptCode, name: deptName }, hasDraft: !!r.hasDraft, hasFormDraft: !!r.hasFormDraft, hasForm: !!r.hasForm }))
  return { items, total, page: f.page, pageSize: f.pageSize }
}

export interface VersionEntry {
  kind: 'guide' | 'form', version: number, status: 'draft' | 'published' | 'superseded'
  createdBy: string | null, createdAt: string | null, publishedBy: string | null, publishedAt: string | null
}

export interface ManagedService {
  code: string, status: ServiceRef['status'], version: number, departmentCode: string
  /** the guide in force (what citizens see while published) */
  current: ServiceGuide
  /** the guide draft, without its form, or null; `revision` is what saving and publishing it send back (DraftSeen) */
  draft: { version: number, revision: string, guide: GuideInput } | null
  formDraft: { id: number, version: number, revision: string, definition: FormDefinition, problems: { path: string, message: string }[] } | null
  publishedForm: { id: number, version: number } | null
  history: VersionEntry[]
}

/** One item as its editors see it: current guide, drafts and every version with who published it. */
export function getManagedService(conn: Connection, actor: Actor, code: string): ManagedService | null {
  const ref = findManagedService(conn, actor, code)
  if (!ref) return null
  const current = getGuide(conn, code, true)!
  const draftRow = conn.sqlite.prepare(`SELECT version, created_at AS revision, guide FROM service_versions WHERE service_code = ? AND status = 'draft'`).get(code) as { version: number, revision: string, guide: string } | undefined
  const formRow = conn.sqlite.prepare(`SELECT id, version, created_at AS revision, definition FROM form_versions WHERE service_code = ? AND status = 'draft'`).get(code) as { id: number, version: number, revision: string, definition: string } | undefined
  const published = ref.formVersionId === null ? undefined : conn.sqlite.prepare('SELECT id, version FROM form_versions WHERE id = ?').get(ref.formVersionId) as { id: number, version: number } | undefined
  const formDraft = formRow ? JSON.parse(formRow.definition) as FormDefinition : null
  return {
    code, status: ref.status, version: ref.version, departmentCode: ref.departmentCode, current,
    draft: draftRow ? { version: draftRow.version, revision: draftRow.revision, guide: JSON.parse(draftRow.guide) as GuideInput } : null,
    formDraft: formRow && formDraft ? { id: formRow.id, version: formRow.version, revision: formRow.revision, definition: formDraft, problems: formDefinitionProblems(formDraft) } : null,
    publishedForm: published ?? null,
    history: versionHistory(conn, ref),
  }
}

function versionHistory(conn: Connection, ref: ServiceRef): VersionEntry[] {
  const q = (table: string) => conn.sqlite.prepare(`SELECT v.version, v.status, v.created_at AS createdAt, v.published_at AS publishedAt,
      c.name AS createdBy, p.name AS publishedBy
    FROM ${table} v LEFT JOIN users c ON c.id = v.created_by LEFT JOIN users p ON p.id = v.published_by
    WHERE v.service_code = ? ORDER BY v.version DESC`).all(ref.code) as Omit<VersionEntry, 'kind'>[]
  const guides = q('service_versions').map(v => ({ kind: 'guide' as const, ...v }))
  // items loaded by the seed have no row for their first version: show it, published at load
  if (ref.status !== 'draft' && !guides.some(g => g.version === ref.version)) {
    const at = (conn.sqlite.prepare('SELECT updated_at AS at FROM services WHERE code = ?').get(ref.code) as { at: string }).at
    guides.unshift({ kind: 'guide', version: ref.version, status: 'published', createdBy: null, createdAt: null, publishedBy: null, publishedAt: at })
  }
  return [...guides, ...q('form_versions').map(v => ({ kind: 'form' as const, ...v }))]
}

/** The guide's columns as the services table stores them. */
function serviceColumns(g: GuideInput) {
  return {
    code: g.code, basicCode: g.basicCode, name: g.name, nameEn: g.nameEn, departmentCode: g.department, type: g.type,
    audience: g.audience, processType: g.processType, onlineDepth: g.onlineDepth, suitableOnline: g.suitableOnline ? 1 : 0,
    unsuitableReason: g.unsuitableReason, visits: g.visits, visitsReason: g.visitsReason,
    legalLimitDays: g.legalLimitDays, promisedLimitDays: g.promisedLimitDays,
    details: JSON.stringify(guideDetails(g)),
    location: g.location, hours: g.hours, consultPhone: g.consultPhone, complaintPhone: g.complaintPhone, resultName: g.resultName,
    resultNameEn: g.resultNameEn ?? null,
  }
}

const GUIDE_SET = `basic_code = @basicCode, name = @name, name_en = @nameEn, department_code = @departmentCode, type = @type,
  audience = @audience, process_type = @processType, online_depth = @onlineDepth, suitable_online = @suitableOnline,
  unsuitable_reason = @unsuitableReason, visits = @visits, visits_reason = @visitsReason, legal_limit_days = @legalLimitDays,
  promised_limit_days = @promisedLimitDays, details = @details, location = @location, hours = @hours,
  consult_phone = @consultPhone, complaint_phone = @complaintPhone, result_name = @resultName, result_name_en = @resultNameEn`

/** Inserts a new item's row (status given) with its themes. */
export function insertServiceRow(conn: Connection, g: GuideInput, status: 'draft' | 'published', version: number, at: string): void {
  conn.sqlite.prepare(`INSERT INTO services (code, basic_code, name, name_en, department_code, type, audience, process_type, online_depth,
      suitable_online, unsuitable_reason, visits, visits_reason, legal_limit_days, promised_limit_days, details, location, hours,
      consult_phone, complaint_phone, result_name, result_name_en, status, version, updated_at)
    VALUES (@code, @basicCode, @name, @nameEn, @departmentCode, @type, @audience, @processType, @onlineDepth, @suitableOnline,
      @unsuitableReason, @visits, @visitsReason, @legalLimitDays, @promisedLimitDays, @details, @location, @hours,
      @consultPhone, @complaintPhone, @resultName, @resultNameEn, @status, @version, @at)`).run({ ...serviceColumns(g), status, version, at })
  replaceThemes(conn, g.code, g.themes)
}

/** Writes a guide into the item's row (a publication), raising its version. */
export function updateServiceRow(conn: Connection, g: GuideInput, version: number, at: string): void {
  conn.sqlite.prepare(`UPDATE services SET ${GUIDE_SET}, version = @version, updated_at = @at WHERE code = @code`).run({ ...serviceColumns(g), version, at })
  replaceThemes(conn, g.code, g.themes)
}

function replaceThemes(conn: Connection, code: string, themes: string[]): void {
  conn.sqlite.prepare('DELETE FROM service_themes WHERE service_code = ?').run(code)
  const insert = conn.sqlite.prepare('INSERT INTO service_themes (service_code, theme_code) VALUES (?, ?)')
  for (const t of new Set(themes)) insert.run(code, t)
}

/** Keeps a seeded item's first version in the history before anything supersedes it. */
export function ensureBaseline(conn: Connection, ref: ServiceRef): void {
  if (ref.status === 'draft') return
  const has = conn.sqlite.prepare('SELECT 1 FROM service_versions WHERE service_code = ? AND version = ?').get(ref.code, ref.version)
  if (has) return
  const at = (conn.sqlite.prepare('SELECT updated_at AS at FROM services WHERE code = ?').get(ref.code) as { at: string }).at
  conn.sqlite.prepare(`INSERT INTO service_versions (service_code, version, guide, status, created_at, published_at)
    VALUES (?, ?, ?, 'published', ?, ?)`).run(ref.code, ref.version, JSON.stringify(getGuide(conn, ref.code, true)), at, at)
}

/** The snapshot of what was just published, and the older published rows superseded; returns the snapshot as stored. */
export function recordPublishedGuide(conn: Connection, code: string, version: number, actorId: number | null, at: string): string {
  conn.sqlite.prepare(`UPDATE service_versions SET status = 'superseded' WHERE service_code = ? AND status = 'published'`).run(code)
  const snapshot = JSON.stringify(getGuide(conn, code, true))
  const draft = conn.sqlite.prepare(`SELECT id FROM service_versions WHERE service_code = ? AND version = ? AND status = 'draft'`).get(code, version) as { id: number } | undefined
  if (draft) {
    conn.sqlite.prepare(`UPDATE service_versions SET status = 'published', guide = ?, published_by = ?, published_at = ? WHERE id = ?`).run(snapshot, actorId, at, draft.id)
  }
  else {
    conn.sqlite.prepare(`INSERT INTO service_versions (service_code, version, guide, status, created_by, created_at, published_by, published_at)
      VALUES (?, ?, ?, 'published', ?, ?, ?, ?)`).run(code, version, snapshot, actorId, at, actorId, at)
  }
  return snapshot
}

/** Checks a guide written by an editor: every rule, and a clerk keeps items in their department. */
function checkGuide(conn: Connection, actor: Actor, body: unknown, opts: { newItem: boolean, code?: string }): GuideInput {
  const guide = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : body
  const problems = guideProblems(guide, guideContext(conn, opts.newItem))
  const g = guide as Record<string, unknown>
  const code = typeof g?.code === 'string' ? g.code : ''
  if (opts.code !== undefined && g && g.code !== opts.code) problems.push({ code, field: 'code', message: 'manage.rule.codeChange' })
  const dept = typeof g?.department === 'object' && g.department !== null ? (g.department as { code?: unknown }).code : g?.department
  if (actor.role !== 'admin' && dept !== actor.departmentCode) problems.push({ code, field: 'department', message: 'manage.rule.departmentNotYours' })
  if (problems.length) throw new CatalogueAdminError(400, 'The guide has problems', problems)
  // the schema's values (texts trimmed as an import's are, department as its code) in the body's key order
  const { onlineAvailable: _derived, ...checked } = guideShapeSchema.parse(g)
  const { onlineAvailable: _given, ...rest } = g
  return { ...rest, ...checked } as unknown as GuideInput
}

/** A new item, as a draft (not in the catalogue until published); a form given becomes a form draft. */
export function createService(conn: Connection, actor: Actor, body: unknown, now = new Date()): { code: string, status: 'draft' } {
  const guide = checkGuide(conn, actor, body, { newItem: true })
  const at = now.toISOString()
  insertServiceRow(conn, guide, 'draft', 0, at)
  const { form, ...withoutForm } = guide
  conn.sqlite.prepare(`INSERT INTO service_versions (service_code, version, guide, status, created_by, created_at) VALUES (?, 1, ?, 'draft', ?, ?)`)
    .run(guide.code, JSON.stringify({ ...withoutForm, form: null }), actor.id, at)
  if (form) {
    conn.sqlite.prepare(`INSERT INTO form_versions (service_code, version, definition, status, created_by, created_at) VALUES (?, 1, ?, 'draft', ?, ?)`)
      .run(guide.code, JSON.stringify(form), actor.id, at)
  }
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'catalogue.create', subject: guide.code, detail: { department: guide.department }, ip: actor.ip })
  return { code: guide.code, status: 'draft' }
}

/**
 * What an editor last loaded or saved of an item's draft: its `revision` (null: there was no
 * draft). An item has one draft, shared by its editors; a save or a publication that states the
 * revision is refused (409) once another editor saved, published or set aside that draft since.
 * undefined: not stated (older clients, the API's own callers), no check.
 */
export interface DraftSeen { revision?: string | null }

interface DraftRef { id: number, version: number, savedAt: string }

export function currentDraft(conn: Connection, table: 'service_versions' | 'form_versions', code: string): DraftRef | undefined {
  return conn.sqlite.prepare(`SELECT id, version, created_at AS savedAt FROM ${table} WHERE service_code = ? AND status = 'draft'`).get(code) as DraftRef | undefined
}

/** Neither overwrites nor publishes a draft the editor has not seen; see DraftSeen. */
export function refuseIfDraftChanged(code: string, draft: { savedAt: string } | undefined, seen: DraftSeen): void {
  if (seen.revision === undefined || (draft?.savedAt ?? null) === seen.revision) return
  throw new CatalogueAdminError(409, 'The draft was saved, published or set aside by someone else since this editor loaded it: load the current draft first', [
    { code, field: 'revision', message: 'manage.rule.draftChanged' },
  ])
}

/**
 * A draft's revision is the time it was saved: always later than the save before it, since a
 * second save in the same millisecond (or after the clock was set back) would otherwise leave the
 * revision as it was, and an editor who had loaded the first save could then overwrite the second.
 */
export function revisionAfter(previous: string | undefined, now: Date): string {
  const at = now.toISOString()
  return previous === undefined || at > previous ? at : new Date(Date.parse(previous) + 1).toISOString()
}

/** Saves the guide draft (the form is edited apart: `form` here is ignored). */
export function saveGuideDraft(conn: Connection, actor: Actor, code: string, body: unknown, now = new Date(), seen: DraftSeen = {}): { version: number, revision: string } {
  const ref = requireManaged(conn, actor, code)
  const draft = currentDraft(conn, 'service_versions', code)
  refuseIfDraftChanged(code, draft, seen)
  const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, form: null } : body
  const guide = checkGuide(conn, actor, input, { newItem: false, code })
  ensureBaseline(conn, ref)
  const at = revisionAfter(draft?.savedAt, now)
  const json = JSON.stringify(guide)
  let version = draft?.version ?? ref.version + 1
  if (draft) conn.sqlite.prepare('UPDATE service_versions SET guide = ?, created_by = ?, created_at = ? WHERE id = ?').run(json, actor.id, at, draft.id)
  else {
    version = nextGuideVersion(conn, code, ref.version)
    conn.sqlite.prepare(`INSERT INTO service_versions (service_code, version, guide, status, created_by, created_at) VALUES (?, ?, ?, 'draft', ?, ?)`).run(code, version, json, actor.id, at)
  }
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'catalogue.draft', subject: code, detail: { version }, ip: actor.ip })
  return { version, revision: at }
}

function nextGuideVersion(conn: Connection, code: string, current: number): number {
  const max = (conn.sqlite.prepare('SELECT max(version) AS v FROM service_versions WHERE service_code = ?').get(code) as { v: number | null }).v ?? 0
  return Math.max(max, current) + 1
}

/**
 * A draft last saved before another version was published (an import lands on an item while an
 * editor's draft is open) was written against an older guide: publishing it as it is would
 * silently undo that version. 409 with a problem the editor reads; saving the draft again, after
 * comparing, is the editor's acknowledgement.
 */
export function refuseIfOvertaken(conn: Connection, table: 'service_versions' | 'form_versions', code: string, savedAt: string): void {
  const newer = conn.sqlite.prepare(`SELECT version FROM ${table} WHERE service_code = ? AND status <> 'draft' AND published_at > ? ORDER BY version DESC LIMIT 1`)
    .get(code, savedAt) as { version: number } | undefined
  if (!newer) return
  throw new CatalogueAdminError(409, `Version ${newer.version} was published after this draft was last saved: compare and save the draft again before publishing it`, [
    { code, field: table === 'form_versions' ? 'form' : 'version', message: 'manage.rule.draftOvertaken' },
  ])
}

/** Publishes the guide draft: the item's row takes it, the version rises, search is re-indexed. */
export function publishGuide(conn: Connection, actor: Actor, code: string, now = new Date(), seen: DraftSeen = {}): { version: number, status: ServiceRef['status'] } {
  const ref = requireManaged(conn, actor, code)
  const draft = conn.sqlite.prepare(`SELECT version, guide, created_at AS savedAt FROM service_versions WHERE service_code = ? AND status = 'draft'`).get(code) as { version: number, guide: string, savedAt: string } | undefined
  refuseIfDraftChanged(code, draft, seen)
  if (!draft) throw new CatalogueAdminError(409, 'There is no draft to publish')
  refuseIfOvertaken(conn, 'service_versions', code, draft.savedAt)
  // rules or departments may have changed since the draft was saved
  const guide = checkGuide(conn, actor, { ...JSON.parse(draft.guide), form: null }, { newItem: false, code })
  const at = now.toISOString()
  updateServiceRow(conn, guide, draft.version, at)
  const status = ref.status === 'draft' ? 'published' : ref.status
  conn.sqlite.prepare('UPDATE services SET status = ? WHERE code = ?').run(status, code)
  const snapshot = recordPublishedGuide(conn, code, draft.version, actor.id, at)
  indexService(conn, code)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'catalogue.publish', subject: code, detail: { version: draft.version, sha256: publishedTextHash(snapshot) }, ip: actor.ip })
  return { version: draft.version, status }
}

/** Withdraws a published item or restores a withdrawn one; open cases are not touched. */
export function setServiceStatus(conn: Connection, actor: Actor, code: string, to: 'withdrawn' | 'published', now = new Date()): { status: 'withdrawn' | 'published' } {
  const ref = requireManaged(conn, actor, code)
  const from = to === 'withdrawn' ? 'published' : 'withdrawn'
  if (ref.status !== from) throw new CatalogueAdminError(409, `Only a ${from} item can be ${to === 'withdrawn' ? 'withdrawn' : 'restored'}`)
  conn.sqlite.prepare('UPDATE services SET status = ?, updated_at = ? WHERE code = ?').run(to, now.toISOString(), code)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: to === 'withdrawn' ? 'catalogue.withdraw' : 'catalogue.restore', subject: code, ip: actor.ip })
  return { status: to }
}
