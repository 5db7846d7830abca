/**
 * Form definitions as stored (JSON text in form_versions), parsed once per distinct text: the
 * text is the key, so an edited draft is simply another entry. Since validateAnswers keeps each
 * definition's compiled schema by object, the same object for the same text means a submission
 * validates with a schema compiled once, not one built for it (the submit benchmark's profile
 * had building schemas at 3% of the server's CPU, parsing the JSON at 1%).
 */
import { LRUCache } from 'lru-cache'
import type { Connection } from '../../db/client'
import type { FormDefinition } from '../../shared/types/catalogue'

/** Distinct definitions kept; drafts of a catalogue's forms are edited, so the set is open-ended. */
const KEPT = 256

const parsed = new LRUCache<string, FormDefinition>({ max: KEPT })

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/** The definition in `text`, frozen: it is shared by every caller that reads the same version. */
export function storedForm(text: string): FormDefinition {
  let form = parsed.get(text)
  if (!form) parsed.set(text, form = deepFreeze(JSON.parse(text) as FormDefinition))
  return form
}

/** The definition of form version `id` (a case's, a draft's), or null for none. */
export function formVersionDefinition(conn: Connection, id: number | null): FormDefinition | null {
  if (!id) return null
  const row = conn.sqlite.prepare('SELECT definition FROM form_versions WHERE id = ?').get(id) as { definition: string } | undefined
  return row ? storedForm(row.definition) : null
}
