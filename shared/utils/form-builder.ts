/**
 * A form draft as the form builder edits it. The draft API keeps whatever outline it is sent
 * (`fields` and `sections` are lists of objects, nothing more: a draft may have problems, which
 * the builder lists), but the builder binds its inputs to `field.label.zh`, `option.label.en`,
 * `section.title.zh`: one field saved without a label would stop the whole page loading.
 */
import type { FormDefinition, LocalText } from '../types/catalogue'

type Loose = Record<string, unknown>

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `{ zh, en }` with both present as strings (what was there kept, anything else as ''). */
function localText(v: unknown): LocalText {
  const o = isObject(v) ? v : {}
  return { zh: typeof o.zh === 'string' ? o.zh : '', en: typeof o.en === 'string' ? o.en : '' }
}

/** Repairs `o[key]` in place to a LocalText unless it already is one (an object is kept, so Vue's proxy of it stays). */
function ensureLocalText(o: Loose, key: string) {
  const v = o[key]
  const fixed = localText(v)
  if (isObject(v) && v.zh === fixed.zh && v.en === fixed.en) return
  o[key] = fixed
}

/**
 * Makes a draft safe to bind, in place, and returns it: every field, option and section gets the
 * texts the builder's inputs edit (empty when missing, which the problems list then names), and a
 * field's `options` becomes a list when it is something else (the hint is read with `?.`, so it is
 * left as it is). A valid definition is left exactly as it is.
 */
export function editableForm(def: FormDefinition): FormDefinition {
  const raw = def as unknown as Loose
  if (!Array.isArray(raw.fields)) raw.fields = []
  const fields = raw.fields as unknown[]
  fields.forEach((f, i) => {
    if (!isObject(f)) fields[i] = f = {}
    const field = f as Loose
    ensureLocalText(field, 'label')
    if (field.options !== undefined) {
      if (!Array.isArray(field.options)) field.options = []
      const options = field.options as unknown[]
      options.forEach((o, j) => {
        if (!isObject(o)) options[j] = o = { value: typeof o === 'string' ? o : '' }
        ensureLocalText(o as Loose, 'label')
      })
    }
  })
  if (raw.sections !== undefined) {
    if (!Array.isArray(raw.sections)) raw.sections = []
    const sections = raw.sections as unknown[]
    sections.forEach((s, i) => {
      if (!isObject(s)) sections[i] = s = {}
      ensureLocalText(s as Loose, 'title')
    })
  }
  return def
}
