/**
 * Bulk import and export of the catalogue as JSON, in the API's own ServiceGuide shape, so an
 * export can be edited and imported back. An import writes every item or none: all items are
 * checked first (the dry run stops there), then written in the caller's one write transaction.
 */
import type { Connection } from '../../db/client'
import { indexService, rebuildSearchIndex } from '../../db/search-index'
import type { ServiceGuide } from '../../shared/types/catalogue'
import { canonicalJson } from '../../shared/utils/canonical-json'
import type { GuideInput, GuideProblem } from '../../shared/utils/guide-schema'
import { buildGuideSchema, guideProblems } from '../../shared/utils/guide-schema'
import { writeAudit } from './audit'
import { getGuide } from './catalogue'
import type { Actor } from './catalogue-admin'
import { ensureBaseline, guideContext, insertServiceRow, recordPublishedGuide, updateServiceRow } from './catalogue-admin'
import { activateFormVersion, nextFormVersion } from './catalogue-admin-form'
import { publishedTextHash } from './published-versions-check'

/** Every published item's whole guide, by code; one department's when `dept` is given. */
export function exportCatalogue(conn: Connection, dept?: string): { services: ServiceGuide[] } {
  const codes = conn.sqlite.prepare(`SELECT code FROM services WHERE status = 'published' AND (@dept IS NULL OR department_code = @dept) ORDER BY code`)
    .all({ dept: dept ?? null }) as { code: string }[]
  return { services: codes.map(c => getGuide(conn, c.code)!) }
}

/** Every problem of a batch, by item code (or `#n`, its position, when it has none) and field. */
export function importProblems(conn: Connection, items: unknown[]): GuideProblem[] {
  const ctx = guideContext(conn)
  const existing = new Map((conn.sqlite.prepare('SELECT code FROM services').all() as { code: string }[]).map(s => [s.code.toLowerCase(), s.code]))
  const problems: GuideProblem[] = []
  const seen = new Set<string>()
  items.forEach((item, i) => {
    const code = typeof item === 'object' && item !== null && typeof (item as { code?: unknown }).code === 'string' ? (item as { code: string }).code : ''
    const label = code || `#${i + 1}`
    for (const p of guideProblems(item, ctx)) problems.push({ ...p, code: label })
    const folded = code.toLowerCase()
    if (code && seen.has(folded)) problems.push({ code: label, field: 'code', message: 'manage.rule.codeDuplicate' })
    // a code that differs from an item's only in letter case would be a second item, not its next version
    else if (code && existing.has(folded) && existing.get(folded) !== code) problems.push({ code: label, field: 'code', message: 'manage.rule.codeCase' })
    seen.add(folded)
  })
  return problems
}

/** `republished`: withdrawn items the batch publishes again (the dry run names them before they are). */
export interface ImportResult { ok: boolean, problems: GuideProblem[], created: number, updated: number, republished: string[] }

/**
 * Checks a batch and, unless `dryRun` or a problem was found, writes it: a new code becomes a
 * published item, an existing code its next version (and a new form version if the form changed).
 */
export function importCatalogue(conn: Connection, actor: Actor, batch: unknown[], opts: { dryRun: boolean }, now = new Date()): ImportResult {
  const items = batch.map(withStandardDefaults)
  const problems = importProblems(conn, items)
  const republished = withdrawnAmong(conn, items)
  if (problems.length || opts.dryRun) return { ok: problems.length === 0, problems, created: 0, updated: 0, republished }
  const schema = buildGuideSchema()
  const at = now.toISOString()
  let created = 0
  let updated = 0
  // re-indexing one item deletes its row from the full-text table by code, a scan of that table:
  // a large batch rebuilds the index once instead (5,000 items: one pass, not 5,000)
  const reindexEach = items.length <= REINDEX_EACH_UP_TO
  for (const item of items) {
    const guide = schema.parse(item)
    if (writeImported(conn, actor, guide, at, reindexEach)) created++
    else updated++
  }
  if (!reindexEach) rebuildSearchIndex(conn)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'catalogue.import', detail: { created, updated, republished }, ip: actor.ip })
  return { ok: true, problems: [], created, updated, republished }
}

const has = (o: Record<string, unknown>, key: string) => Object.hasOwn(o, key)

/**
 * An item written to the contract's ServiceGuide, which lacks the national standard's fields this
 * catalogue adds, gets them as a guide that states nothing there: the item's code as its basic
 * code, no themes or keywords, no reason for visits or for not being suitable online (the rules
 * then ask for one where the guide needs it), one copy of each material. A key the item has is
 * kept as given and judged as always: an export round-trips unchanged.
 */
function withStandardDefaults(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item
  const g = { ...item } as Record<string, unknown>
  if (!has(g, 'basicCode') && typeof g.code === 'string') g.basicCode = g.code
  for (const key of ['unsuitableReason', 'visitsReason']) if (!has(g, key)) g[key] = null
  for (const key of ['themes', 'keywords']) if (!has(g, key)) g[key] = []
  if (Array.isArray(g.materials)) {
    g.materials = g.materials.map(m => (typeof m === 'object' && m !== null && !Array.isArray(m) && !has(m as Record<string, unknown>, 'copies') ? { ...m, copies: 1 } : m))
  }
  return g
}

/** The codes in a batch of items that are withdrawn now. */
function withdrawnAmong(conn: Connection, items: unknown[]): string[] {
  const withdrawn = new Set((conn.sqlite.prepare(`SELECT code FROM services WHERE status = 'withdrawn'`).all() as { code: string }[]).map(s => s.code))
  return items.flatMap(item => typeof item === 'object' && item !== null && withdrawn.has((item as { code?: unknown }).code as string) ? [(item as { code: string }).code] : [])
}

const REINDEX_EACH_UP_TO = 20

/** Writes one checked item; true when it was new. */
function writeImported(conn: Connection, actor: Actor, g: GuideInput, at: string, reindex: boolean): boolean {
  const ref = conn.sqlite.prepare(`SELECT code, department_code AS departmentCode, status, version, form_version_id AS formVersionId FROM services WHERE code = ?`)
    .get(g.code) as { code: string, departmentCode: string, status: 'draft' | 'published' | 'withdrawn', version: number, formVersionId: number | null } | undefined
  let version = 1
  if (!ref) insertServiceRow(conn, g, 'published', 1, at)
  else {
    ensureBaseline(conn, ref)
    version = ref.version + 1
    // an editor's open draft keeps its place after the imported version
    conn.sqlite.prepare(`UPDATE service_versions SET version = (SELECT max(version) + 1 FROM service_versions WHERE service_code = ?)
      WHERE service_code = ? AND status = 'draft' AND version <= ?`).run(g.code, g.code, version)
    updateServiceRow(conn, g, version, at)
    // every imported item is published (the contract), a withdrawn one too: the dry run names those first
    if (ref.status !== 'published') conn.sqlite.prepare(`UPDATE services SET status = 'published' WHERE code = ?`).run(g.code)
  }
  writeImportedForm(conn, actor, g, ref?.formVersionId ?? null, at)
  const snapshot = recordPublishedGuide(conn, g.code, version, actor.id, at)
  if (reindex) indexService(conn, g.code)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'catalogue.publish', subject: g.code, detail: { version, via: 'import', sha256: publishedTextHash(snapshot) }, ip: actor.ip })
  return !ref
}

function writeImportedForm(conn: Connection, actor: Actor, g: GuideInput, currentId: number | null, at: string): void {
  const current = currentId === null ? null : (conn.sqlite.prepare('SELECT definition FROM form_versions WHERE id = ?').get(currentId) as { definition: string }).definition
  if (g.form === null) {
    if (current === null) return
    conn.sqlite.prepare(`UPDATE form_versions SET status = 'superseded' WHERE service_code = ? AND status = 'published'`).run(g.code)
    conn.sqlite.prepare('UPDATE services SET form_version_id = NULL WHERE code = ?').run(g.code)
    writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'form.unpublish', subject: g.code, detail: { via: 'import' }, ip: actor.ip })
    setAsideFormDraft(conn, actor, g.code)
    return
  }
  if (current !== null && canonicalJson(JSON.parse(current)) === canonicalJson(g.form)) return
  const version = nextFormVersion(conn, g.code)
  // a form draft being edited moves after the imported version
  conn.sqlite.prepare(`UPDATE form_versions SET version = ? WHERE service_code = ? AND status = 'draft'`).run(version + 1, g.code)
  const definition = JSON.stringify(g.form)
  const id = Number(conn.sqlite.prepare(`INSERT INTO form_versions (service_code, version, definition, status, created_by, created_at) VALUES (?, ?, ?, 'draft', ?, ?)`)
    .run(g.code, version, definition, actor.id, at).lastInsertRowid)
  activateFormVersion(conn, g.code, id, actor.id, at)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'form.publish', subject: g.code, detail: { version, formVersionId: id, via: 'import', sha256: publishedTextHash(definition) }, ip: actor.ip })
}

/**
 * An open form draft when the import removes the form: it was written against the form now gone,
 * and published later it would bring the online application back unnoticed. A changed form is a
 * publication that refuseIfOvertaken (catalogue-admin.ts) holds an older draft to; a removal
 * publishes nothing it could compare with, so the draft is set aside here instead: superseded
 * without ever being published (its definition stays in the version history, no longer
 * publishable), and audited. An editor who still wants a form saves a new draft.
 */
function setAsideFormDraft(conn: Connection, actor: Actor, code: string): void {
  const draft = conn.sqlite.prepare(`SELECT id, version FROM form_versions WHERE service_code = ? AND status = 'draft'`).get(code) as { id: number, version: number } | undefined
  if (!draft) return
  conn.sqlite.prepare(`UPDATE form_versions SET status = 'superseded' WHERE id = ?`).run(draft.id)
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'form.draftDiscard', subject: code, detail: { version: draft.version, formVersionId: draft.id, via: 'import' }, ip: actor.ip })
}
