/**
 * A form draft as the form builder edits it. The draft API keeps whatever outline it is sent
 * (`fields` and `sections` are lists of objects, nothing more: a draft may have problems, which
 * the builder lists), but the builder binds its inputs to `field.label.zh`, `option.label.en`,
 * `section.title.zh`: one field saved without a label would stop the whole page loading.
 */
import type { LocalText } from '../types/catalogue'

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

/** `o[key]` as a list, made an empty one in place when it is something else. */
function listAt(o: Loose, key: string): unknown[] {
  const v = o[key]
  if (Array.isArray(v)) return v as unknown[]
  const list: unknown[] = []
  o[key] = list
  return list
}

/** Each item of `list` as an object, one made in place where an item is something else. */
function objectsIn(list: unknown[], make: (item: unknown) => Loose): Loose[] {
  return list.map((item, i) => {
    if (isObject(item)) return item
    const made = make(item)
    list[i] = made
    return made
  })
}

/**
 * Makes a draft safe to bind, in place, and returns it: every field, option and section gets the
 * texts the builder's inputs edit (empty when missing, which the problems list then names), and a
 * field's `options` becomes a list when it is something else (the hint is read with `?.`, so it is
 * left as it is). A valid definition is left exactly as it is. The draft is read as what it may be
 * (the API keeps any outline), not as the FormDefinition its type claims.
 */
export function editableForm<T>(draft: T): T {
  if (!isObject(draft)) return draft
  for (const field of objectsIn(listAt(draft, 'fields'), () => ({}))) {
    ensureLocalText(field, 'label')
    if (field.options === undefined) continue
    for (const option of objectsIn(listAt(field, 'options'), o => ({ value: typeof o === 'string' ? o : '' }))) ensureLocalText(option, 'label')
  }
  if (draft.sections !== undefined) {
    for (const section of objectsIn(listAt(draft, 'sections'), () => ({}))) ensureLocalText(section, 'title')
  }
  return draft
}
