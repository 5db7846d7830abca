/**
 * Form definitions as stored (JSON text in form_versions), parsed once per distinct text. A
 * published version never changes, so the text is the key; and since validateAnswers keeps each
 * definition's compiled schema by object, the same object for the same text means a submission
 * validates with a schema compiled once, not one built for it (the submit benchmark's profile
 * had building schemas at 3% of the server's CPU, parsing the JSON at 1%).
 */
import type { FormDefinition } from '../../shared/types/catalogue'

/** Distinct definitions kept; drafts of a catalogue's forms are edited, so the set is open-ended. */
const KEPT = 256

const parsed = new Map<string, FormDefinition>()

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
  if (form) {
    // least recently used out: a hit moves to the end
    parsed.delete(text)
  }
  else {
    form = deepFreeze(JSON.parse(text) as FormDefinition)
    if (parsed.size >= KEPT) parsed.delete(parsed.keys().next().value!)
  }
  parsed.set(text, form)
  return form
}
