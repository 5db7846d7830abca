/**
 * A person gives the bank account a subsidy or a refund is paid into as they read it off their
 * card or type it on a phone (６２２２ ０２１２ ３４５６ ７８９０ １２３): it is kept as the 19 digits
 * it is, and what cannot be an account ("abc", 11 or 20 digits) is refused at the field before the
 * application becomes a case, in the browser and on the server alike.
 */
import { randomBytes } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { services } from '../../db/seed/catalogue'
import { ApplicationError } from '../../server/services/application-errors'
import { createDraft, getOwnApplication, saveDraft, submitApplication } from '../../server/services/applications'
import type { FormDefinition } from '../../shared/types/catalogue'
import { bankAccountProblem, normalizeBankAccount } from '../../shared/utils/bank-account'
import { formDefinitionProblems } from '../../shared/utils/form-definition'
import { validateAnswers } from '../../shared/utils/form-schema'
import { freshDatabase, userIdOf } from '../support/db'

const FULL_WIDTH = '６２２２ ０２１２ ３４５６ ７８９０ １２３'
const ACCOUNT = '6222021234567890123'

describe('a bank card or account number', () => {
  it('is kept as ASCII digits, without the spaces between the groups', () => {
    expect(normalizeBankAccount(FULL_WIDTH)).toBe(ACCOUNT)
    expect(normalizeBankAccount(' 6222 0212 3456 7890 123 ')).toBe(ACCOUNT)
    // an ideographic space and a zero-width one, from a Chinese keyboard or a banking app
    expect(normalizeBankAccount('6222\u30000212\u200B3456 7890 123')).toBe(ACCOUNT)
  })

  it('has 12 to 19 digits', () => {
    expect(bankAccountProblem('75591234567')).toBe('length')
    expect(bankAccountProblem('755912345678')).toBeNull()
    expect(bankAccountProblem(ACCOUNT)).toBeNull()
    expect(bankAccountProblem(FULL_WIDTH)).toBeNull()
    expect(bankAccountProblem('62220212345678901234')).toBe('length')
    expect(bankAccountProblem('')).toBe('format')
  })

  it('has nothing but digits', () => {
    for (const bad of ['abc', '6222O21234567890123', '6222-0212-3456-7890', '6222021234567890１２Ａ', '٦٢٢٢٠٢١٢٣٤٥٦٧٨٩٠١٢٣']) {
      expect(bankAccountProblem(bad), bad).toBe('format')
    }
  })

  it('needs no Luhn check digit: many account numbers are not card numbers', () => {
    // two numbers that differ only in the last digit: at most one of them has a Luhn check digit
    expect(bankAccountProblem('6222021234567890124')).toBeNull()
    expect(bankAccountProblem('6222021234567890125')).toBeNull()
  })
})

describe('a form field of the bankAccount format', () => {
  const label = { zh: '本人银行账号', en: 'Bank account number' }
  const FORM: FormDefinition = { version: 1, fields: [{ key: 'bankAccount', type: 'bankAccount', label, required: true }] }

  it('is one a form definition may name', () => {
    expect(formDefinitionProblems(FORM)).toEqual([])
    // its length is the format's: a text limit does not apply
    expect(formDefinitionProblems({ version: 1, fields: [{ ...FORM.fields[0]!, maxLength: 30 }] }).map(p => p.message)).toEqual(['manage.formRule.maxLengthNotText'])
  })

  it('stores what the person typed as the account itself', () => {
    expect(validateAnswers(FORM, { bankAccount: FULL_WIDTH })).toEqual({ ok: true, value: { bankAccount: ACCOUNT } })
    expect(validateAnswers(FORM, { bankAccount: '755912345678' })).toEqual({ ok: true, value: { bankAccount: '755912345678' } })
  })

  it('says what is wrong with one that cannot be an account', () => {
    const errorOf = (v: unknown) => validateAnswers(FORM, { bankAccount: v })
    expect(errorOf('abc')).toEqual({ ok: false, fieldErrors: { bankAccount: 'validation.bankAccount.format' } })
    expect(errorOf('75591234567')).toEqual({ ok: false, fieldErrors: { bankAccount: 'validation.bankAccount.length' } })
    expect(errorOf('62220212345678901234')).toEqual({ ok: false, fieldErrors: { bankAccount: 'validation.bankAccount.length' } })
    expect(errorOf(' ')).toEqual({ ok: false, fieldErrors: { bankAccount: 'validation.required' } })
    expect(errorOf(6222021234567890)).toEqual({ ok: false, fieldErrors: { bankAccount: 'validation.invalidType' } })
  })

  it('is the format of every bank account field of the seeded forms', () => {
    const fields = services.flatMap(s => s.form?.fields.filter(f => f.key === 'bankAccount' || /银行(账|帐)号|银行卡号/.test(f.label.zh)) ?? [])
    expect(fields.length).toBeGreaterThanOrEqual(20)
    expect(fields.filter(f => f.type !== 'bankAccount')).toEqual([])
  })
})

describe('the server, for an application paid into a bank account', () => {
  let conn: Connection
  let citizen: { id: number, role: 'citizen' }
  const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

  beforeEach(() => {
    conn = freshDatabase()
    citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
  })

  /** 住房公积金提取（购房）, complete but for the account. */
  const housingFund = (bankAccount: string) => ({
    name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', houseType: 'new', propertyAddress: '深圳市福田区福华一路1号',
    contractNo: 'HT-2026-0001', totalPrice: 3000000, loanType: 'full', bankName: '中国银行深圳分行', bankAccount,
  })

  function refusal(fn: () => unknown): ApplicationError {
    try { fn() }
    catch (error) {
      if (error instanceof ApplicationError) return error
      throw error
    }
    throw new Error('expected a refusal')
  }

  it('keeps a draft with "abc" (a draft may be unfinished), opens it, and refuses it on submit at that field', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGJJ-0001', answers: housingFund('abc') }))
    expect(getOwnApplication(conn, draft.id, citizen.id)!.answers.bankAccount).toBe('abc')
    const e = refusal(() => tx(() => submitApplication(conn, citizen, draft.id)))
    expect(e.statusCode).toBe(400)
    expect(e.fieldErrors).toEqual({ bankAccount: 'validation.bankAccount.format' })
    expect(getOwnApplication(conn, draft.id, citizen.id)!.status).toBe('draft')
  })

  it('refuses 20 digits as too long, and takes the account corrected', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGJJ-0001', answers: housingFund('62220212345678901234') }))
    expect(refusal(() => tx(() => submitApplication(conn, citizen, draft.id))).fieldErrors).toEqual({ bankAccount: 'validation.bankAccount.length' })
    const saved = tx(() => saveDraft(conn, citizen, draft.id, housingFund(FULL_WIDTH)))
    // the draft keeps the account as it will be stored
    expect(saved.answers.bankAccount).toBe(ACCOUNT)
    const { caseNo } = tx(() => submitApplication(conn, citizen, draft.id))
    const { answers } = conn.sqlite.prepare('SELECT answers FROM cases WHERE case_no = ?').get(caseNo) as { answers: string }
    expect(JSON.parse(answers).bankAccount).toBe(ACCOUNT)
  })

  it('stores the full-width account of 失业保险金申领 (SZRS-0003) as its digits', () => {
    const proof = randomBytes(16).toString('base64url')
    conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at)
      VALUES (?, ?, 'proof.pdf', 1000, 'application/pdf', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
      .run(proof, citizen.id, 'a'.repeat(64), randomBytes(8).toString('hex'))
    const answers = {
      name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', lastEmployer: '深圳市某某科技有限公司',
      separationDate: '2026-01-05', separationReason: 'expiry', jobSeeking: 'yes', bankName: '中国工商银行深圳分行',
      bankAccount: FULL_WIDTH, proofTerminationEmploymentFile: [proof],
    }
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZRS-0003', answers }))
    const { caseNo } = tx(() => submitApplication(conn, citizen, draft.id))
    const stored = conn.sqlite.prepare('SELECT answers FROM cases WHERE case_no = ?').get(caseNo) as { answers: string }
    expect(JSON.parse(stored.answers).bankAccount).toBe(ACCOUNT)
  })
})
