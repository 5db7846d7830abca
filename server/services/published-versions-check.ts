/**
 * Published guides and forms held against the audit log. A version's text lives in ordinary
 * tables (service_versions.guide, form_versions.definition) and the item's guide in force in its
 * services row, none of them covered by the audit chain: anyone with the database could change
 * the legal basis, fees, time limits or form of a published version, and the chain would still
 * hold. So each publication's audit row (`catalogue.publish`, `form.publish`) records `sha256`,
 * the hash of the text it published, and this check finds the versions whose text no longer gives
 * it. It trusts the audit rows it reads: run it with the chain's own check (verifyAuditChain).
 */
import { createHash } from 'node:crypto'
import type { Connection } from '../../db/client'
import type { ServiceGuide } from '../../shared/types/catalogue'
import { canonicalJson } from '../../shared/utils/canonical-json'
import { getGuide } from './catalogue'

/**
 * The hash an audit row records for a published text, given as stored: of its canonical JSON, so
 * that storing the same value with its keys in another order (a migration rewriting the column)
 * is no change.
 */
export function publishedTextHash(stored: string): string {
  return createHash('sha256').update(canonicalJson(JSON.parse(stored))).digest('hex')
}

export interface PublishedVersionMismatch {
  /**
   * guide: the stored snapshot of a published guide version; form: a published form definition;
   * inForce: the item's services row (what citizens read, what deadlines are counted from) is no
   * longer the guide of the version it says is in force.
   */
  kind: 'guide' | 'form' | 'inForce'
  code: string
  version: number
  /** the audit row of the publication */
  auditId: number
}

export interface PublishedVersionsResult {
  /** publications whose text was compared with the hash their audit row records */
  checked: number
  /** publications audited before hashes were recorded: nothing to compare them with */
  unrecorded: number
  mismatches: PublishedVersionMismatch[]
}

interface Publication { id: number, subject: string, detail: string | null }

type Recorded = { version: number, sha256: string, formVersionId?: number }

function recordedOf(p: Publication): Partial<Recorded> {
  return p.detail ? JSON.parse(p.detail) as Partial<Recorded> : {}
}

/** The stored text of a published guide version; null: no such published row (removed, or turned back into a draft). */
function storedGuide(conn: Connection, code: string, version: number): string | null {
  const row = conn.sqlite.prepare(`SELECT guide FROM service_versions WHERE service_code = ? AND version = ? AND status <> 'draft'`).get(code, version) as { guide: string } | undefined
  return row?.guide ?? null
}

/** The stored definition of a published form version; null: no such published row. */
function storedForm(conn: Connection, id: number): string | null {
  const row = conn.sqlite.prepare(`SELECT definition FROM form_versions WHERE id = ? AND status <> 'draft'`).get(id) as { definition: string } | undefined
  return row?.definition ?? null
}

/**
 * What publishing a guide fixes, as the services row gives it back: not the form (published apart,
 * form.publish), what follows from it (onlineAvailable) or the department's name (the department's
 * own), and themes in one order (the row gives them in no particular one).
 */
function publishedElements(g: ServiceGuide): string {
  const { form: _form, onlineAvailable: _derived, department, themes, ...rest } = JSON.parse(JSON.stringify(g)) as ServiceGuide
  return canonicalJson({ ...rest, department: department.code, themes: [...themes].sort() })
}

/** The item's row still says what its version in force published (checked only for that version). */
function inForceMatches(conn: Connection, code: string, version: number, snapshot: string): boolean {
  const current = conn.sqlite.prepare(`SELECT version FROM services WHERE code = ? AND status <> 'draft'`).get(code) as { version: number } | undefined
  if (current?.version !== version) return true
  return publishedElements(getGuide(conn, code, true)!) === publishedElements(JSON.parse(snapshot) as ServiceGuide)
}

function checkGuidePublication(conn: Connection, p: Publication, result: PublishedVersionsResult): void {
  const { version, sha256 } = recordedOf(p)
  if (typeof version !== 'number' || typeof sha256 !== 'string') {
    result.unrecorded++
    return
  }
  result.checked++
  const snapshot = storedGuide(conn, p.subject, version)
  const at = { code: p.subject, version, auditId: p.id }
  if (snapshot === null || publishedTextHash(snapshot) !== sha256) result.mismatches.push({ kind: 'guide', ...at })
  else if (!inForceMatches(conn, p.subject, version, snapshot)) result.mismatches.push({ kind: 'inForce', ...at })
}

function checkFormPublication(conn: Connection, p: Publication, result: PublishedVersionsResult): void {
  const { version, formVersionId, sha256 } = recordedOf(p)
  if (typeof version !== 'number' || typeof formVersionId !== 'number' || typeof sha256 !== 'string') {
    result.unrecorded++
    return
  }
  result.checked++
  const definition = storedForm(conn, formVersionId)
  if (definition === null || publishedTextHash(definition) !== sha256) result.mismatches.push({ kind: 'form', code: p.subject, version, auditId: p.id })
}

const CHECKS = { 'catalogue.publish': checkGuidePublication, 'form.publish': checkFormPublication } as const

/**
 * The publications, `rows` audit rows at a time (one seek in audit_action_idx per batch); yields
 * between batches. Each batch is read whole (all(), not iterate()): between two steps of
 * checkPublishedVersionsInSteps other requests use this connection.
 */
function* walk(conn: Connection, result: PublishedVersionsResult, rows: number): Generator<void, void> {
  for (const [action, check] of Object.entries(CHECKS)) {
    let afterId = 0
    for (;;) {
      const batch = conn.sqlite.prepare('SELECT id, subject, detail FROM audit_log WHERE action = ? AND id > ? ORDER BY id LIMIT ?').all(action, afterId, rows) as Publication[]
      for (const p of batch) check(conn, p, result)
      if (batch.length < rows) break
      afterId = batch.at(-1)!.id
      yield
    }
  }
}

const empty = (): PublishedVersionsResult => ({ checked: 0, unrecorded: 0, mismatches: [] })

/** Every publication in the audit log against the text stored for it, in one go (scripts, tests). */
export function checkPublishedVersions(conn: Connection): PublishedVersionsResult {
  const result = empty()
  const steps = walk(conn, result, 10_000)
  while (!steps.next().done) { /* the next batch */ }
  return result
}

/**
 * checkPublishedVersions for the server, with the same answer: a publication costs a JSON parse
 * and a hash of its text, and a city's years of publications would hold the event loop for
 * seconds, so it lets other requests through between batches of `rowsPerStep`.
 */
export async function checkPublishedVersionsInSteps(conn: Connection, rowsPerStep = 200): Promise<PublishedVersionsResult> {
  const result = empty()
  const steps = walk(conn, result, rowsPerStep)
  while (!steps.next().done) await new Promise(resolve => setImmediate(resolve))
  return result
}
