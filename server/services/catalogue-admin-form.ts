/**
 * An item's online form, edited as a draft in the form builder and published as a new version
 * (catalogue-admin.ts for the guide and the item): the version in force is superseded, never
 * edited, so a case keeps the form it was submitted with. Call inside one write transaction.
 */
import type { Connection } from '../../db/client'
import { fieldPath, formPath } from '../../shared/utils/guide-schema'
import { formDefinitionProblems } from '../../shared/utils/form-definition'
import { writeAudit } from './audit'
import { CatalogueAdminError, currentDraft, refuseIfDraftChanged, refuseIfOvertaken, requireManaged, revisionAfter } from './catalogue-admin'
import type { Actor, DraftSeen, ServiceRef } from './catalogue-admin'
import { publishedTextHash } from './published-versions-check'

/**
 * The form builder says which form version was in force when its editor opened it (`basedOn`,
 * null: none). Saving a form draft resets its time, so refuseIfOvertaken cannot tell a stale
 * builder from one that has seen the latest version: a form published meanwhile (an import) or
 * removed is refused with 409 instead of being silently replaced. undefined: not stated (older
 * clients, the API's own callers), no check.
 */
function refuseIfFormChanged(conn: Connection, ref: ServiceRef, basedOn: number | null | undefined): void {
  if (basedOn === undefined || ref.formVersionId === basedOn) return
  const now = ref.formVersionId === null ? null : (conn.sqlite.prepare('SELECT version FROM form_versions WHERE id = ?').get(ref.formVersionId) as { version: number } | undefined)?.version ?? null
  throw new CatalogueAdminError(409, now === null
    ? 'The form was removed after this editor opened it: compare, then save again'
    : `Form version ${now} was published after this editor opened it: compare, then save again`, [
    { code: ref.code, field: 'form', message: 'manage.rule.draftOvertaken' },
  ])
}

/** What the form builder last loaded or saved: the form in force (refuseIfFormChanged) and the draft (DraftSeen). */
export interface FormDraftSeen extends DraftSeen { basedOn?: number | null }

/**
 * Saves the form draft; it may still have problems (they are returned), publishing refuses them.
 * So `definition` is not yet a FormDefinition: it is only stored as JSON and checked by
 * formDefinitionProblems, which takes anything.
 */
export function saveFormDraft(conn: Connection, actor: Actor, code: string, definition: unknown, now = new Date(), seen: FormDraftSeen = {}) {
  refuseIfFormChanged(conn, requireManaged(conn, actor, code), seen.basedOn)
  const draft = currentDraft(conn, 'form_versions', code)
  refuseIfDraftChanged(code, draft, seen)
  const at = revisionAfter(draft?.savedAt, now)
  const json = JSON.stringify(definition)
  let id = draft?.id
  let version = draft?.version
  if (draft) conn.sqlite.prepare('UPDATE form_versions SET definition = ?, created_by = ?, created_at = ? WHERE id = ?').run(json, actor.id, at, draft.id)
  else {
    version = nextFormVersion(conn, code)
    id = Number(conn.sqlite.prepare(`INSERT INTO form_versions (service_code, version, definition, status, created_by, created_at) VALUES (?, ?, ?, 'draft', ?, ?)`)
      .run(code, version, json, actor.id, at).lastInsertRowid)
  }
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'form.draft', subject: code, detail: { version }, ip: actor.ip })
  return { id: id!, version: version!, revision: at, problems: formDefinitionProblems(definition) }
}

export function nextFormVersion(conn: Connection, code: string): number {
  return ((conn.sqlite.prepare('SELECT max(version) AS v FROM form_versions WHERE service_code = ?').get(code) as { v: number | null }).v ?? 0) + 1
}

/** Makes a form version the one citizens apply with; the one before is superseded, never edited. */
export function activateFormVersion(conn: Connection, code: string, id: number, actorId: number | null, at: string): void {
  conn.sqlite.prepare(`UPDATE form_versions SET status = 'superseded' WHERE service_code = ? AND status = 'published'`).run(code)
  conn.sqlite.prepare(`UPDATE form_versions SET status = 'published', published_by = ?, published_at = ? WHERE id = ?`).run(actorId, at, id)
  conn.sqlite.prepare('UPDATE services SET form_version_id = ?, updated_at = ? WHERE code = ?').run(id, at, code)
}

/** Publishes the form draft if it is a valid FormDefinition. */
export function publishForm(conn: Connection, actor: Actor, code: string, now = new Date(), seen: FormDraftSeen = {}): { id: number, version: number } {
  refuseIfFormChanged(conn, requireManaged(conn, actor, code), seen.basedOn)
  const draft = conn.sqlite.prepare(`SELECT id, version, definition, created_at AS savedAt FROM form_versions WHERE service_code = ? AND status = 'draft'`).get(code) as { id: number, version: number, definition: string, savedAt: string } | undefined
  refuseIfDraftChanged(code, draft, seen)
  if (!draft) throw new CatalogueAdminError(409, 'There is no form draft to publish')
  refuseIfOvertaken(conn, 'form_versions', code, draft.savedAt)
  const problems = formDefinitionProblems(JSON.parse(draft.definition))
  if (problems.length) {
    throw new CatalogueAdminError(400, 'The form has problems', problems.map(p => ({ code, field: fieldPath(['form', ...formPath(p.path)]), message: p.message })))
  }
  activateFormVersion(conn, code, draft.id, actor.id, now.toISOString())
  writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'form.publish', subject: code, detail: { version: draft.version, formVersionId: draft.id, sha256: publishedTextHash(draft.definition) }, ip: actor.ip })
  return { id: draft.id, version: draft.version }
}
