/**
 * 补正记录: what each round of corrections replaced. A resubmission rewrites the case's answers and
 * its materials in place; the application keeps only the first submission and a counter case has
 * none, so without this record a file handed in during one round and replaced in the next was
 * named nowhere: the applicant could delete it (a forged document, say), the stale-upload
 * clean-up removed it after DRAFT_RETENTION_DAYS, and staff lost access to it. Every resubmission
 * keeps its answers as they stood and the materials it took off the case (migration 0020).
 */
import type { Connection } from '../../db/client'
import type { CorrectionView } from '../../shared/types/case'
import type { CaseDbRow } from './case-views'
import { formVersionDefinition } from './stored-forms'

/**
 * SQL over the upload alias `u`: whether a case holds it, as a current material or as one a
 * correction replaced, optionally only cases (alias `c`) meeting `where`. Everything that decides
 * deletion, "used in cases" or who may download uses this, so that the two tables never disagree.
 */
export function heldByCase(where?: string): string {
  const from = (table: string) => (where
    ? `SELECT 1 FROM ${table} h JOIN cases c ON c.case_no = h.case_no WHERE h.upload_id = u.id AND ${where}`
    : `SELECT 1 FROM ${table} h WHERE h.upload_id = u.id`)
  return `(EXISTS (${from('case_materials')}) OR EXISTS (${from('case_superseded_materials')}))`
}

/** Whether any case holds the upload `u` (now, or replaced by a correction). */
export const HELD_BY_A_CASE = heldByCase()

/**
 * Records one round of corrections for the resubmit event `eventId`: the answers as they stood,
 * and, when the resubmission brought answers, the materials it replaces (which it then takes off
 * the case). Runs inside the transition's transaction, so the round and its record are one.
 * Returns the ids of the uploads it replaced.
 */
export function recordCorrection(conn: Connection, row: CaseDbRow, eventId: number, at: string, answers: Record<string, unknown> | undefined): string[] {
  const round = conn.sqlite.prepare('INSERT INTO case_corrections (case_no, event_id, at, previous_answers) VALUES (?, ?, ?, ?)')
    .run(row.caseNo, eventId, at, row.answers)
  return answers ? replaceMaterials(conn, row, answers, Number(round.lastInsertRowid)) : []
}

/**
 * After a resubmission the case's materials are exactly its file answers, for every file field of
 * the form: a corrected answer may also hide a file field (born in Shenzhen after all: no scanned
 * certificate), whose file the validated answers no longer hold and the case must not keep as
 * current. Every file taken off is kept in the round's record instead.
 */
function replaceMaterials(conn: Connection, row: CaseDbRow, answers: Record<string, unknown>, correctionId: number): string[] {
  const form = formVersionDefinition(conn, row.formVersionId)
  const attach = conn.sqlite.prepare('INSERT OR IGNORE INTO case_materials (case_no, upload_id, field_key, source) VALUES (?, ?, ?, ?)')
  const supersede = conn.sqlite.prepare(`INSERT OR IGNORE INTO case_superseded_materials (correction_id, case_no, upload_id, field_key, source)
    VALUES (?, ?, ?, ?, ?)`)
  const replaced: string[] = []
  for (const f of form?.fields ?? []) {
    if (f.type !== 'file') continue
    const v = Object.hasOwn(answers, f.key) ? answers[f.key] : undefined
    const ids = new Set(Array.isArray(v) ? v as string[] : [])
    // every file the field no longer names goes, whatever its source (a file taken from the
    // person's library is 'shared'); a file it keeps keeps its source
    const before = new Map((conn.sqlite.prepare('SELECT upload_id AS id, source FROM case_materials WHERE case_no = ? AND field_key = ?')
      .all(row.caseNo, f.key) as { id: string, source: string }[]).map(m => [m.id, m.source]))
    for (const [id, source] of before) {
      if (ids.has(id)) continue
      supersede.run(correctionId, row.caseNo, id, f.key, source)
      replaced.push(id)
    }
    conn.sqlite.prepare('DELETE FROM case_materials WHERE case_no = ? AND field_key = ?').run(row.caseNo, f.key)
    for (const id of ids) attach.run(row.caseNo, id, f.key, before.get(id) ?? 'upload')
  }
  return replaced
}

/** A round as read back, previous answers unmasked: callers mask them for their viewer. */
export type CorrectionRecord = Omit<CorrectionView, 'previousAnswers'> & { previousAnswers: Record<string, unknown> }

/**
 * The case's rounds of corrections, oldest first. A round's changed fields are the keys whose
 * answer differs between the answers before it and those after it: the next round's previous
 * answers, or the case's answers now for the last round.
 */
export function caseCorrections(conn: Connection, caseNo: string, currentAnswers: Record<string, unknown>): CorrectionRecord[] {
  const rounds = conn.sqlite.prepare('SELECT id, at, previous_answers AS previousAnswers FROM case_corrections WHERE case_no = ? ORDER BY id')
    .all(caseNo) as { id: number, at: string, previousAnswers: string }[]
  if (!rounds.length) return []
  const replaced = conn.sqlite.prepare(`SELECT s.correction_id AS correctionId, s.upload_id AS uploadId, u.name, u.size, u.mime, s.field_key AS fieldKey
    FROM case_corrections k JOIN case_superseded_materials s ON s.correction_id = k.id JOIN uploads u ON u.id = s.upload_id
    WHERE k.case_no = ? ORDER BY s.correction_id, s.field_key, u.created_at, u.id`).all(caseNo) as (CorrectionView['replacedMaterials'][number] & { correctionId: number })[]
  const answers = rounds.map(r => JSON.parse(r.previousAnswers) as Record<string, unknown>)
  return rounds.map((r, i) => ({
    at: r.at,
    changedFields: changedKeys(answers[i]!, answers[i + 1] ?? currentAnswers),
    previousAnswers: answers[i]!,
    replacedMaterials: replaced.filter(m => m.correctionId === r.id).map(({ correctionId: _c, ...m }) => m),
  }))
}

/** Keys whose answer differs between two sets of answers (an answer left out and a null one are the same). */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(k => !same(before[k], after[k]))
}
