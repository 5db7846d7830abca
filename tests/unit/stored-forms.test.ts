import { describe, expect, it } from 'vitest'
import { storedForm } from '../../server/services/stored-forms'
import { validateAnswers } from '../../shared/utils/form-schema'

const text = JSON.stringify({ version: 1, fields: [{ key: 'name', type: 'text', label: { zh: '姓名', en: 'Name' }, required: true }] })

describe('stored form definitions', () => {
  it('parses a stored text once and hands every caller the same definition', () => {
    const a = storedForm(text)
    expect(a.fields[0]!.key).toBe('name')
    expect(storedForm(`${text}`)).toBe(a)
    expect(storedForm(text.replace('Name', 'Full name'))).not.toBe(a)
  })

  it('keeps the 256 definitions used last: one in constant use stays, one left alone is parsed again', () => {
    const used = storedForm(text.replace('Name', 'In use'))
    const left = storedForm(text.replace('Name', 'Left alone'))
    for (let i = 0; i < 300; i++) {
      storedForm(text.replace('Name', `Other ${i}`))
      expect(storedForm(text.replace('Name', 'In use'))).toBe(used)
    }
    const again = storedForm(text.replace('Name', 'Left alone'))
    expect(again).not.toBe(left)
    expect(again).toEqual(left)
  })

  it('refuses changes to a shared definition, down to its labels', () => {
    const form = storedForm(text)
    expect(() => { (form.fields as unknown[]).push({}) }).toThrow(TypeError)
    expect(() => { (form.fields[0]!.label as { en: string }).en = 'changed' }).toThrow(TypeError)
  })

  it('validates answers against the shared definition like against a fresh one', () => {
    expect(validateAnswers(storedForm(text), { name: ' 张三 ' })).toEqual({ ok: true, value: { name: '张三' } })
    expect(validateAnswers(storedForm(text), {})).toEqual({ ok: false, fieldErrors: { name: 'validation.required' } })
  })
})
