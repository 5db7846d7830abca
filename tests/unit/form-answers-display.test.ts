/**
 * What a person applying online reads beside their answers: errors only where there are some
 * (never Object.prototype's members), worded for the kind of field on the form page and on the
 * review page alike, and text boxes that take as many characters as the server allows.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FormDefinition, FormField } from '../../shared/types/catalogue'
import { answerErrors, answerLength, answerMaxLength, ownValue, validateAnswers } from '../../shared/utils/form-schema'

const label = (zh: string, en: string) => ({ zh, en })
const field = (key: string, type: FormField['type'], more: Partial<FormField> = {}): FormField => ({ key, type, label: label('甲', 'A'), required: true, ...more })

describe('a form whose fields are named like members of every object', () => {
  // such a form can no longer be saved (formDefinitionProblems), but one stored before may exist
  const OLD: FormDefinition = { version: 1, fields: [field('constructor', 'text'), field('toString', 'text'), field('valueOf', 'number', { required: false })] }

  it('shows no error under a field that has none', () => {
    const errors: Record<string, string> = {}
    expect(ownValue(errors, 'constructor')).toBeUndefined()
    expect(ownValue(errors, 'toString')).toBeUndefined()
    expect(answerErrors(OLD.fields, errors)).toEqual([])
  })

  it('shows the error a field has', () => {
    const errors = { toString: 'validation.required' }
    expect(ownValue(errors, 'toString')).toBe('validation.required')
    expect(answerErrors(OLD.fields, errors)).toEqual([{ key: 'toString', field: OLD.fields[1], message: 'validation.required' }])
  })

  it('reads answers the same way, so an empty form is empty', () => {
    const answers: Record<string, unknown> = {}
    expect(OLD.fields.map(f => ownValue(answers, f.key))).toEqual([undefined, undefined, undefined])
    expect(ownValue(undefined, 'constructor')).toBeUndefined()
    expect(validateAnswers(OLD, { constructor: '张三', toString: '李四' })).toEqual({ ok: true, value: { constructor: '张三', toString: '李四' } })
  })
})

describe('errors on the form page and on the review page', () => {
  const FORM: FormDefinition = {
    version: 1,
    fields: [
      field('name', 'text'),
      field('housing', 'select', { options: [{ value: 'own', label: label('自有', 'Own') }] }),
      field('channel', 'radio', { options: [{ value: 'post', label: label('邮寄', 'Post') }] }),
      field('lease', 'file'),
      field('declaration', 'checkbox'),
    ],
  }

  it('word a missing answer for its field: a choice, a tick, a file, or text', () => {
    // the server's fieldErrors, in its own order, with a key that is not a field
    const fromServer = {
      answers: 'validation.invalidType', declaration: 'validation.required', lease: 'validation.required',
      channel: 'validation.required', housing: 'validation.required', name: 'validation.required',
    }
    expect(answerErrors(FORM.fields, fromServer).map(e => [e.key, e.message])).toEqual([
      ['name', 'validation.required'],
      ['housing', 'validation.requiredChoice'],
      ['channel', 'validation.requiredChoice'],
      ['lease', 'validation.requiredFile'],
      ['declaration', 'validation.requiredTick'],
      ['answers', 'validation.invalidType'],
    ])
  })

  it('are the server\'s own verdict for what the person left out', () => {
    const check = validateAnswers(FORM, { name: '张三' })
    expect(check.ok).toBe(false)
    if (!check.ok) expect(answerErrors(FORM.fields, check.fieldErrors).map(e => e.message)).toEqual(['validation.requiredChoice', 'validation.requiredChoice', 'validation.requiredFile', 'validation.requiredTick'])
  })

  it('leave other messages as they are', () => {
    expect(answerErrors(FORM.fields, { housing: 'validation.option', name: 'validation.tooLong' }).map(e => e.message)).toEqual(['validation.tooLong', 'validation.option'])
  })
})

describe('text boxes and their limits', () => {
  const formOf = (...fields: FormField[]): FormDefinition => ({ version: 1, fields })
  const name = field('name', 'text', { maxLength: 4 })

  it('take rare characters up to the limit, counted as people count them', () => {
    // 𠮷 is one character but two UTF-16 units: a maxlength of 4 stopped at 𠮷𠮷
    expect('𠮷𠮷𠮷𠮷'.length).toBe(8)
    expect(answerLength(name, ' 𠮷𠮷𠮷𠮷 ')).toBe(4)
    expect(answerMaxLength(name)).toBe(4)
    expect(validateAnswers(formOf(name), { name: ' 𠮷𠮷𠮷𠮷 ' })).toEqual({ ok: true, value: { name: '𠮷𠮷𠮷𠮷' } })
    expect(validateAnswers(formOf(name), { name: '𠮷𠮷𠮷𠮷𠮷' })).toEqual({ ok: false, fieldErrors: { name: 'validation.tooLong' } })
  })

  it('take an ID number, code or mobile pasted with spaces around it', () => {
    const def = formOf(field('id', 'idNumber'), field('code', 'uscc'), field('mobile', 'mobile'))
    expect(validateAnswers(def, { id: ' 440305199003072319', code: ' 9144030071526726xg ', mobile: ' 13800138000 ' }))
      .toEqual({ ok: true, value: { id: '440305199003072319', code: '9144030071526726XG', mobile: '13800138000' } })
  })

  it('show a count only where the limit is a number of characters', () => {
    expect(answerMaxLength(field('a', 'text'))).toBe(200)
    expect(answerMaxLength(field('a', 'textarea'))).toBe(2000)
    for (const type of ['idNumber', 'uscc', 'mobile', 'email', 'number', 'date'] as const) expect(answerMaxLength(field('a', type))).toBeUndefined()
    // a textarea's Windows line break is one character, as the schema reads it
    expect(answerLength(field('a', 'textarea'), 'a\r\nb')).toBe(3)
    expect(answerLength(field('a', 'text'), undefined)).toBe(0)
  })

  it('have no maxlength in the browser, which counted differently from the server', () => {
    const dir = 'components/Form'
    const withMaxlength = readdirSync(dir).filter(f => f.endsWith('.vue'))
      .filter(f => /\bmaxlength\b/.test(readFileSync(join(dir, f), 'utf8').replace(/<!--[\s\S]*?-->|\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
    expect(withMaxlength).toEqual([])
  })
})
