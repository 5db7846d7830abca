/**
 * An administrator opens the form builder on a draft saved through the API. The draft API checks
 * only the outline (a list of field objects), so a draft may lack a label, an option's label or
 * a section's title; the builder must still open, and list what is missing as problems.
 */
import { describe, expect, it } from 'vitest'
import { services } from '../../db/seed/catalogue'
import type { FormDefinition } from '../../shared/types/catalogue'
import { editableForm } from '../../shared/utils/form-builder'
import { formDefinitionProblems } from '../../shared/utils/form-definition'

/** What the builder's templates read on load and when a field is opened (components/Manage/FormBuilder/, FieldEditor.vue). */
function bindings(def: FormDefinition): string[] {
  return [
    ...(def.sections ?? []).flatMap(s => [s.title.zh, s.title.en]),
    ...def.fields.flatMap(f => [f.label.zh, f.label.en, f.hint?.zh ?? '', ...(f.options ?? []).flatMap(o => [o.value, o.label.zh, o.label.en])]),
  ]
}

/** Drafts the API stores (z.looseObject for each field and section). */
const drafts = (): unknown[] => [
  { version: 1, fields: [{ key: 'name', type: 'text', required: true }] },
  { version: 1, fields: [{ key: 'a', type: 'text', label: null, required: false }, { key: 'b', type: 'text', label: { zh: '乙' }, required: false }] },
  { version: 1, fields: [{ key: 'a', type: 'select', label: { zh: '甲', en: 'A' }, required: false, options: [{ value: 'x' }, 'y', 5] }] },
  { version: 1, fields: [{ key: 'a', type: 'radio', label: { zh: '甲', en: 'A' }, required: false, options: 'x, y' }] },
  { version: 1, sections: [{ key: 's' }], fields: [{ key: 'a', type: 'text', label: { zh: '甲', en: 'A' }, required: false, section: 's', hint: 'x' }] },
]

describe('the form builder on a draft saved through the API', () => {
  it.each(drafts())('opens on %j and names what is missing', (draft) => {
    const def = draft as FormDefinition
    // what stopped the page: reading label.zh of a field without a label
    expect(() => bindings(def)).toThrow(TypeError)
    expect(editableForm(def)).toBe(def)
    expect(() => bindings(def)).not.toThrow()
    expect(bindings(def).every(s => typeof s === 'string' || typeof s === 'number')).toBe(true)
    expect(formDefinitionProblems(def).length).toBeGreaterThan(0)
  })

  it('keeps what the draft had', () => {
    const def = drafts()[1] as FormDefinition
    editableForm(def)
    expect(def.fields.map(f => f.label)).toEqual([{ zh: '', en: '' }, { zh: '乙', en: '' }])
    const choice = editableForm(drafts()[2] as FormDefinition)
    expect(choice.fields[0]!.options).toEqual([{ value: 'x', label: { zh: '', en: '' } }, { value: 'y', label: { zh: '', en: '' } }, { value: '', label: { zh: '', en: '' } }])
  })

  it('leaves a valid form exactly as it was', () => {
    for (const s of services.filter(s => s.form).slice(0, 20)) {
      const def = structuredClone(s.form!)
      const labels = def.fields.map(f => f.label)
      expect(editableForm(def)).toEqual(s.form)
      expect(def.fields.map(f => f.label)).toEqual(labels)
      def.fields.forEach((f, i) => expect(f.label).toBe(labels[i]))
    }
  })
})
