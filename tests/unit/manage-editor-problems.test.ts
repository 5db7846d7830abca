/**
 * An editor correcting a guide or a form reads each problem beside the input it is about: the
 * guide editor's errors follow their row when a row is moved or removed (they are keyed by
 * position, `steps[1].name`), and each problem of the form builder names the input to link to.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { builderProblemTarget, errorsAfterRowChange } from '../../composables/useManage'
import type { RowChange } from '../../composables/useManage'
import type { FormDefinition } from '../../shared/types/catalogue'
import { editableForm } from '../../shared/utils/form-builder'
import { formDefinitionProblems } from '../../shared/utils/form-definition'

describe('the guide editor after a row is moved or removed', () => {
  const errors = {
    'code': 'manage.rule.code',
    'steps': 'manage.rule.stepsMin',
    'steps[0].name': 'validation.required',
    'steps[2].description': 'validation.tooLong',
    'stepsNote[0]': 'kept as it is',
    'materials[0].name': 'validation.required',
  }

  it('shows a step\'s error beside that step after it moves down', () => {
    expect(errorsAfterRowChange(errors, { path: 'steps', from: 0, to: 1 })).toEqual({
      'code': 'manage.rule.code',
      'steps': 'manage.rule.stepsMin',
      'steps[1].name': 'validation.required',
      'steps[2].description': 'validation.tooLong',
      'stepsNote[0]': 'kept as it is',
      'materials[0].name': 'validation.required',
    })
  })

  it('moves the row it passes the other way', () => {
    expect(errorsAfterRowChange({ 'legalBasis[1]': 'a', 'legalBasis[2]': 'b' }, { path: 'legalBasis', from: 2, to: 1 }))
      .toEqual({ 'legalBasis[2]': 'a', 'legalBasis[1]': 'b' })
  })

  it('drops the errors of a removed row and renumbers those after it', () => {
    expect(errorsAfterRowChange(errors, { path: 'steps', removed: 0 })).toEqual({
      'code': 'manage.rule.code',
      'steps': 'manage.rule.stepsMin',
      'steps[1].description': 'validation.tooLong',
      'stepsNote[0]': 'kept as it is',
      'materials[0].name': 'validation.required',
    })
  })

  it('keeps every error with its row, whatever the moves and removals', () => {
    // each step: remove a row, or move one up or down (as RowButtons offer: never past an end)
    const step = fc.record({ remove: fc.boolean(), at: fc.nat(), up: fc.boolean() })
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 12 }), (n, steps) => {
      // the rows carry their own error; applying the changes to both must keep them matched
      let rows = Array.from({ length: n }, (_, i) => `row ${i}`)
      let errs: Record<string, string> = Object.fromEntries(rows.map((r, i) => [`faq[${i}].answer`, r]))
      for (const { remove, at, up } of steps) {
        if (!rows.length) break
        const from = at % rows.length
        const to = from + (up ? -1 : 1)
        if (!remove && (to < 0 || to >= rows.length)) continue
        const change: RowChange = remove ? { path: 'faq', removed: from } : { path: 'faq', from, to }
        rows = [...rows]
        const [row] = rows.splice(from, 1)
        if (!remove) rows.splice(to, 0, row!)
        errs = errorsAfterRowChange(errs, change)
      }
      expect(errs).toEqual(Object.fromEntries(rows.map((r, i) => [`faq[${i}].answer`, r])))
    }))
  })
})

const label = (zh: string, en: string) => ({ zh, en })

describe('a problem of the form builder', () => {
  const def: FormDefinition = {
    version: 1,
    sections: [{ key: 's', title: label('甲', 'A') }],
    fields: [
      { key: 'kind', type: 'select', label: label('类别', 'Kind'), required: true, section: 's', options: [{ value: 'a', label: label('甲', 'A') }, { value: 'b', label: label('乙', 'B') }] },
      { key: 'count', type: 'number', label: label('数量', 'Count'), required: false, section: 's', min: 1, max: 3 },
      { key: 'note', type: 'text', label: label('说明', 'Note'), required: false, section: 's', showIf: { field: 'kind', equals: 'a' } },
      { key: 'when', type: 'date', label: label('日期', 'Date'), required: false, section: 's', showIf: { field: 'nope', equals: 'a' } },
    ],
  }

  it.each([
    ['fields.0.key', { row: 'fields', index: 0, input: 'key' }],
    ['fields.2.label.en', { row: 'fields', index: 2, input: 'label-en' }],
    ['fields.2.label', { row: 'fields', index: 2, input: 'label-zh' }],
    ['fields.2.hint.zh', { row: 'fields', index: 2, input: 'hint-zh' }],
    ['fields.0.options.1.value', { row: 'fields', index: 0, input: 'option-1-value' }],
    ['fields.0.options.1.label.en', { row: 'fields', index: 0, input: 'option-1-en' }],
    ['fields.0.options.1', { row: 'fields', index: 0, input: 'option-1-value' }],
    ['fields.0.options', { row: 'fields', index: 0, input: 'options' }],
    // no option list on screen for a text field: its type is what to change
    ['fields.2.options', { row: 'fields', index: 2, input: 'type' }],
    ['fields.1.min', { row: 'fields', index: 1, input: 'min' }],
    ['fields.3.max', { row: 'fields', index: 3, input: 'type' }],
    ['fields.3.maxLength', { row: 'fields', index: 3, input: 'type' }],
    ['fields.2.showIf.equals', { row: 'fields', index: 2, input: 'showIf-equals' }],
    // the answer is not asked while the earlier field is unknown
    ['fields.3.showIf.equals', { row: 'fields', index: 3, input: 'showIf-field' }],
    ['fields.1.section', { row: 'fields', index: 1, input: 'section' }],
    ['fields.1.prefill', { row: 'fields', index: 1, input: 'prefill' }],
    ['fields.1', { row: 'fields', index: 1, input: 'key' }],
    ['sections.0.title.en', { row: 'sections', index: 0, input: 'en' }],
    ['sections.0.key', { row: 'sections', index: 0, input: 'key' }],
    ['fields', { row: null, input: 'add-field' }],
    ['sections', { row: null, input: 'add-section' }],
  ])('at %s is shown at that input', (path, target) => {
    expect(builderProblemTarget(def, path)).toEqual(target)
  })

  it('of the form as a whole, or of a row no longer there, links nowhere', () => {
    expect(builderProblemTarget(def, 'version')).toBeNull()
    expect(builderProblemTarget(def, '')).toBeNull()
    expect(builderProblemTarget(def, 'fields.9.key')).toBeNull()
  })

  it('reported by the shared schema on a draft the builder opened is linked to an input of a field or a list', () => {
    const drafts: unknown[] = [
      { version: 1, fields: [] },
      { version: 1, fields: [{ key: 'a', type: 'text', label: null, required: false }, { key: 'a', type: 'radio', label: { zh: '乙' }, required: false, maxLength: 5 }] },
      { version: 1, sections: [{ key: 's' }, { key: 's', title: { zh: '', en: '' } }], fields: [{ key: '1a', type: 'select', label: { zh: '甲', en: 'A' }, required: 'yes', options: [{ value: 'x' }, { value: 'x' }] }] },
    ]
    for (const draft of drafts) {
      const def = editableForm(draft as FormDefinition)
      const problems = formDefinitionProblems(def)
      expect(problems.length).toBeGreaterThan(0)
      for (const p of problems) expect(builderProblemTarget(def, p.path), p.path).not.toBeNull()
    }
  })
})
