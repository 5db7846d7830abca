/**
 * Drafts and submission at the service level, against a fresh in-memory database: what a person
 * applying online would notice (their answers kept, one case per application, nothing invalid stored).
 */
import { randomBytes } from 'node:crypto'
import { createError } from 'h3'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { checkDraftAnswers, notTheApplicantErrors } from '../../server/services/application-answers'
import { ApplicationError, httpErrorOf } from '../../server/services/application-errors'
import { createDraft, discardDraft, findOnlineForm, getOwnApplication, listOwnApplications, prefillAnswers, saveDraft, submitApplication } from '../../server/services/applications'
import { receiveCase } from '../../server/services/case-intake'
import { removeStaleDrafts } from '../../server/services/drafts-cleanup'
import { validateAnswers } from '../../shared/utils/form-schema'
import { makeUscc } from '../../shared/utils/uscc'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
let citizen: { id: number, role: 'citizen' }
let citizen2: { id: number, role: 'citizen' }

/** An upload row as if the person had uploaded a file (the file itself is not needed here). */
function uploadOf(ownerId: number, size = 1000, createdAt?: string): string {
  const id = randomBytes(16).toString('base64url')
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at)
    VALUES (?, ?, 'photo.png', ?, 'image/png', ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ','now')))`)
    .run(id, ownerId, size, 'a'.repeat(64), randomBytes(8).toString('hex'), createdAt ?? null)
  return id
}

const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

/** A complete, valid application for SZGA-0001 (ID card renewal). */
function completeAnswers(photo: string) {
  return { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [photo] }
}

function refusal(fn: () => unknown): ApplicationError {
  try { fn() }
  catch (error) {
    if (error instanceof ApplicationError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
  citizen2 = { id: userIdOf(conn, 'citizen2'), role: 'citizen' }
})

describe('a person starting an application', () => {
  it('gets a draft that keeps the form version it was started with', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { name: '张晓明' } }))
    expect(draft).toMatchObject({ serviceCode: 'SZGA-0001', status: 'draft', formVersion: 1, answers: { name: '张晓明' } })
    expect(draft.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    // a newer form version published later does not change the draft's form
    const v1 = findOnlineForm(conn, 'SZGA-0001')!
    const newer = conn.sqlite.prepare(`INSERT INTO form_versions (service_code, version, definition, status) VALUES ('SZGA-0001', 2, ?, 'published')`)
      .run(JSON.stringify({ version: 1, fields: [{ key: 'other', type: 'text', label: { zh: '其他', en: 'Other' }, required: true }] }))
    conn.sqlite.prepare('UPDATE services SET form_version_id = ? WHERE code = ?').run(newer.lastInsertRowid, 'SZGA-0001')
    const again = getOwnApplication(conn, draft.id, citizen.id)!
    expect(again.form).toEqual(v1.definition)
    expect(again.formVersion).toBe(1)
  })

  it('cannot apply online for an item without an online form, or an unknown one', () => {
    expect(refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0003', answers: {} }))).statusCode).toBe(404)
    expect(refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'NOPE-1', answers: {} }))).statusCode).toBe(404)
  })

  it('may leave answers out but may not add a key the form does not have', () => {
    const e = refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { name: '张', shoeSize: 42 } })))
    expect(e.statusCode).toBe(400)
    expect(e.fieldErrors).toEqual({ shoeSize: 'validation.unknownField' })
  })

  it('may save an unfinished ID number, but not an answer of the wrong type or too long', () => {
    const ok = checkDraftAnswers(findOnlineForm(conn, 'SZGA-0001')!.definition, { idNumber: '4403', renewReason: 'not-an-option-yet' })
    expect(ok).toEqual({ ok: true, value: { idNumber: '4403', renewReason: 'not-an-option-yet' } })
    const bad = checkDraftAnswers(findOnlineForm(conn, 'SZGA-0001')!.definition, {
      name: 'x'.repeat(51), idNumber: 440305, needMail: 'yes', digitalPhotoReceiptFile: 'photo.png', mobile: '138\u0000',
    })
    expect(bad).toEqual({ ok: false, fieldErrors: {
      name: 'validation.tooLong', idNumber: 'validation.invalidType', needMail: 'validation.invalidType',
      digitalPhotoReceiptFile: 'validation.invalidType', mobile: 'validation.controlChars',
    } })
    expect(checkDraftAnswers(findOnlineForm(conn, 'SZGA-0017')!.definition, { sealCount: '3' })).toEqual({ ok: false, fieldErrors: { sealCount: 'validation.number' } })
    // the form's rule for hidden characters, on the draft too, so a draft never keeps what a submit refuses
    expect(checkDraftAnswers(findOnlineForm(conn, 'SZGA-0001')!.definition, { name: '\u200B\u200C' })).toEqual({ ok: false, fieldErrors: { name: 'validation.controlChars' } })
  })

  it('may save whatever the form in the browser accepts: outer tabs, Windows line breaks, anything in a hidden field', () => {
    const def = findOnlineForm(conn, 'SZGA-0001')!.definition
    // the shared schema the browser runs trims and turns CR LF into LF before it looks at control characters
    expect(validateAnswers(def, { ...completeAnswers('abcdefgh12'), name: '张晓明\t' }).ok).toBe(true)
    expect(checkDraftAnswers(def, { name: '张晓明\t' })).toEqual({ ok: true, value: { name: '张晓明' } })
    expect(checkDraftAnswers(def, { needMail: true, mailAddress: '第一行\r\n第二行' })).toEqual({ ok: true, value: { needMail: true, mailAddress: '第一行\n第二行' } })
    // a hidden field's stale answer, which the person cannot see to fix, neither blocks the save nor is kept
    expect(checkDraftAnswers(def, { renewReason: 'expired', changedItem: '姓\u0001名', mailAddress: 12 })).toEqual({ ok: true, value: { renewReason: 'expired' } })
    // what the person can see is still checked
    expect(checkDraftAnswers(def, { name: '张\u0001晓明' })).toEqual({ ok: false, fieldErrors: { name: 'validation.controlChars' } })
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: {} }))
    expect(tx(() => saveDraft(conn, citizen, draft.id, { name: '张晓明\t', renewReason: 'expired', changedItem: '姓名\t' })).answers).toEqual({ name: '张晓明', renewReason: 'expired' })
  })

  it('starts even when their profile holds a value longer than the form allows: that answer is left for them to type', () => {
    // a builder chose a shorter field for the name than names can be
    const fv = conn.sqlite.prepare('SELECT fv.id, fv.definition FROM services s JOIN form_versions fv ON fv.id = s.form_version_id WHERE s.code = ?').get('SZGA-0001') as { id: number, definition: string }
    const def = JSON.parse(fv.definition) as { fields: { key: string, maxLength?: number }[] }
    def.fields = def.fields.map(f => (f.key === 'name' ? { ...f, maxLength: 2 } : f))
    conn.sqlite.prepare('UPDATE form_versions SET definition = ? WHERE id = ?').run(JSON.stringify(def), fv.id)
    const prefill = prefillAnswers(conn, citizen.id, 'SZGA-0001')!
    expect(prefill).toEqual({ idNumber: '440305199003072319', mobile: '13800138000' })
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: prefill }))
    expect(draft.answers).toEqual(prefill)
  })

  it('does not keep the answer of a field that is hidden, nor empty answers', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { renewReason: 'expired', changedItem: '姓名', mobile: '', needMail: false, mailAddress: '深圳' } }))
    expect(draft.answers).toEqual({ renewReason: 'expired', needMail: false })
  })

  it('cannot attach someone else\'s upload', () => {
    const theirs = uploadOf(citizen2.id)
    const e = refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { digitalPhotoReceiptFile: [theirs] } })))
    expect(e.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.file' })
  })

  it('cannot attach an organisation\'s e-licence to their own application, nor to another organisation\'s', () => {
    const companyA = Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(citizen.id, '深圳市甲公司', makeUscc('91440300MA5G12345')).lastInsertRowid)
    const companyB = Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(citizen.id, '深圳市乙公司', makeUscc('91440300MA5G54321')).lastInsertRowid)
    /** a licence issued on an earlier case, with its PDF copy among the person's uploads (as shared-materials makes it) */
    const licenceCopy = (orgId: number | null) => {
      const copy = uploadOf(citizen.id, 1000, '2026-01-05T02:00:00.000Z')
      const { caseNo } = tx(() => receiveCase(conn, {
        serviceCode: 'SZRS-0014', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, organizationId: orgId, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
        answers: {}, materials: [], actor: { id: citizen.id, role: 'citizen' },
      }))
      conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_kind, holder_org_id, holder_name, holder_id_number, number, issued_at, upload_id)
        VALUES (?, ?, 'SZRS-0014', ?, ?, ?, '深圳市甲公司', 'x', 'No. 1', '2026-01-05T02:00:00Z', ?)`)
        .run(`R${randomBytes(6).toString('hex')}`, caseNo, citizen.id, orgId === null ? 'person' : 'organization', orgId, copy)
      return copy
    }
    const ofA = licenceCopy(companyA)
    const own = refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { digitalPhotoReceiptFile: [ofA] } })))
    expect(own.statusCode).toBe(400)
    expect(own.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.otherHolderLicence' })
    const forB = tx(() => createDraft(conn, citizen, { serviceCode: 'SZSJ-0003', answers: {}, organizationId: companyB }))
    expect(refusal(() => tx(() => saveDraft(conn, citizen, forB.id, { supportingDocumentsChangeFile: [ofA] }))).fieldErrors)
      .toEqual({ supportingDocumentsChangeFile: 'validation.otherHolderLicence' })
    // the organisation's own applications may use it, and the person's own licence serves every application of theirs
    const forA = tx(() => createDraft(conn, citizen, { serviceCode: 'SZSJ-0003', answers: { supportingDocumentsChangeFile: [ofA] }, organizationId: companyA }))
    expect(forA.answers).toEqual({ supportingDocumentsChangeFile: [ofA] })
    const personal = licenceCopy(null)
    expect(tx(() => saveDraft(conn, citizen, forB.id, { supportingDocumentsChangeFile: [personal] })).answers).toEqual({ supportingDocumentsChangeFile: [personal] })
  })

  it('cannot submit an organisation\'s e-licence attached before it was issued to the organisation', () => {
    const companyA = Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(citizen.id, '深圳市甲公司', makeUscc('91440300MA5G12345')).lastInsertRowid)
    const photo = uploadOf(citizen.id)
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: completeAnswers(photo) }))
    const { caseNo } = tx(() => receiveCase(conn, {
      serviceCode: 'SZRS-0014', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, organizationId: companyA, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
      answers: {}, materials: [], actor: { id: citizen.id, role: 'citizen' },
    }))
    conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_kind, holder_org_id, holder_name, holder_id_number, number, issued_at, upload_id)
      VALUES ('RORGCOPY', ?, 'SZRS-0014', ?, 'organization', ?, '深圳市甲公司', 'x', 'No. 1', '2026-01-05T02:00:00Z', ?)`).run(caseNo, citizen.id, companyA, photo)
    expect(refusal(() => tx(() => submitApplication(conn, citizen, draft.id))).fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.otherHolderLicence' })
  })

  it('cannot attach more than the per-application total', () => {
    process.env.APPLICATION_MAX_BYTES = '1500'
    try {
      const a = uploadOf(citizen.id, 1000)
      const b = uploadOf(citizen.id, 1000)
      const e = refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { digitalPhotoReceiptFile: [a, b] } })))
      expect(e.statusCode).toBe(413)
      expect(e.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.applicationTooLarge' })
    }
    finally { delete process.env.APPLICATION_MAX_BYTES }
  })

  it('applies for an item for organisations only on behalf of one', () => {
    const e = refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0017', answers: {} })))
    expect(e.fieldErrors).toEqual({ organizationId: 'validation.organizationRequired' })
  })

  it('cannot apply for an organisation that is not theirs', () => {
    const e = refusal(() => tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0017', answers: {}, organizationId: 999 })))
    expect(e.fieldErrors).toEqual({ organizationId: 'validation.organization' })
  })
})

describe('a person coming back to a draft', () => {
  it('finds it in their drafts, saves it, and nobody else can see, save or discard it', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: {} }))
    const saved = tx(() => saveDraft(conn, citizen, draft.id, { name: '张晓明', renewReason: 'changed', changedItem: '姓名' }))
    expect(saved.answers).toEqual({ name: '张晓明', renewReason: 'changed', changedItem: '姓名' })
    expect(listOwnApplications(conn, citizen.id, { status: 'draft', page: 1, pageSize: 20 }).items.map(i => i.id)).toEqual([draft.id])
    expect(listOwnApplications(conn, citizen2.id, { status: 'draft', page: 1, pageSize: 20 }).total).toBe(0)
    expect(getOwnApplication(conn, draft.id, citizen2.id)).toBeNull()
    expect(refusal(() => tx(() => saveDraft(conn, citizen2, draft.id, {}))).statusCode).toBe(404)
    expect(refusal(() => tx(() => discardDraft(conn, citizen2, draft.id))).statusCode).toBe(404)
    tx(() => discardDraft(conn, citizen, draft.id))
    expect(getOwnApplication(conn, draft.id, citizen.id)).toBeNull()
  })

  it('open in two tabs, is not overwritten by the tab that has not seen the other\'s save', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: {} }, new Date('2026-03-02T01:00:00.000Z')))
    // tab A saves the name; tab B, loaded before that, still holds the draft as created
    const a = tx(() => saveDraft(conn, citizen, draft.id, { name: '张晓明' }, new Date('2026-03-02T01:01:00.000Z'), draft.updatedAt))
    const stale = refusal(() => tx(() => saveDraft(conn, citizen, draft.id, { renewReason: 'expired' }, new Date('2026-03-02T01:02:00.000Z'), draft.updatedAt)))
    expect(stale.statusCode).toBe(409)
    expect(getOwnApplication(conn, draft.id, citizen.id)?.answers).toEqual({ name: '张晓明' })
    // B, having chosen to keep its own answers, saves based on the newer draft
    expect(tx(() => saveDraft(conn, citizen, draft.id, { renewReason: 'expired' }, new Date('2026-03-02T01:03:00.000Z'), a.updatedAt)).answers).toEqual({ renewReason: 'expired' })
  })

  it('is recorded in the audit log with the address each step came from', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: {}, ip: '203.0.113.5' }))
    tx(() => discardDraft(conn, citizen, draft.id, '203.0.113.6'))
    const rows = conn.sqlite.prepare(`SELECT action, ip FROM audit_log WHERE subject = ? ORDER BY id`).all(draft.id)
    expect(rows).toEqual([{ action: 'application.create', ip: '203.0.113.5' }, { action: 'application.discard', ip: '203.0.113.6' }])
  })
})

describe('a person submitting', () => {
  it('gets a case number and a deadline, with the answers and materials recorded once', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: {} }, new Date(Date.now() - 60_000)))
    const photo = uploadOf(citizen.id)
    tx(() => saveDraft(conn, citizen, draft.id, completeAnswers(photo)))
    const first = tx(() => submitApplication(conn, citizen, draft.id))
    expect(first.caseNo).toMatch(/^SZ\d{8}\d+$/)
    expect(first).toMatchObject({ status: 'submitted', replayed: false })
    expect(first.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const again = tx(() => submitApplication(conn, citizen, draft.id))
    expect(again).toMatchObject({ caseNo: first.caseNo, replayed: true, deadline: first.deadline })
    const cases = conn.sqlite.prepare('SELECT case_no AS caseNo, channel, status, answers, form_version_id AS fv FROM cases WHERE application_id = ?').all(draft.id) as { caseNo: string, channel: string, status: string, answers: string, fv: number }[]
    expect(cases).toHaveLength(1)
    expect(cases[0]).toMatchObject({ channel: 'online', status: 'submitted', fv: findOnlineForm(conn, 'SZGA-0001')!.formVersionId })
    expect(JSON.parse(cases[0]!.answers)).toEqual(completeAnswers(photo))
    expect(conn.sqlite.prepare('SELECT upload_id AS uploadId, field_key AS fieldKey, source FROM case_materials WHERE case_no = ?').all(first.caseNo))
      .toEqual([{ uploadId: photo, fieldKey: 'digitalPhotoReceiptFile', source: 'upload' }])
    expect(refusal(() => tx(() => saveDraft(conn, citizen, draft.id, {}))).statusCode).toBe(409)
  })

  it('is told every missing or wrong answer, field by field, and nothing is created', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { idNumber: '440305199003072310', renewReason: 'changed' } }))
    const e = refusal(() => tx(() => submitApplication(conn, citizen, draft.id)))
    expect(e.statusCode).toBe(400)
    expect(e.fieldErrors).toEqual({
      name: 'validation.required', idNumber: 'validation.idNumber.checksum', mobile: 'validation.required',
      changedItem: 'validation.required', digitalPhotoReceiptFile: 'validation.required',
    })
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 })
    expect(getOwnApplication(conn, draft.id, citizen.id)!.status).toBe('draft')
  })

  it('cannot submit a draft of an item withdrawn from the catalogue since it was started (409); the draft stays', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: completeAnswers(uploadOf(citizen.id)) }))
    conn.sqlite.prepare(`UPDATE services SET status = 'withdrawn' WHERE code = 'SZGA-0001'`).run()
    const refused = refusal(() => tx(() => submitApplication(conn, citizen, draft.id)))
    expect(refused.statusCode).toBe(409)
    expect(getOwnApplication(conn, draft.id, citizen.id)?.status).toBe('draft')
    expect(conn.sqlite.prepare(`SELECT count(*) FROM cases WHERE service_code = 'SZGA-0001'`).pluck().get()).toBe(0)
  })

  it('marks a file reused from "my materials" as shared', () => {
    const old = uploadOf(citizen.id, 1000, '2020-01-01T00:00:00.000Z')
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: completeAnswers(old) }))
    const { caseNo } = tx(() => submitApplication(conn, citizen, draft.id))
    expect(conn.sqlite.prepare('SELECT source FROM case_materials WHERE case_no = ?').get(caseNo)).toEqual({ source: 'shared' })
  })

  it('cannot submit a file that was deleted meanwhile', () => {
    const photo = uploadOf(citizen.id)
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: completeAnswers(photo) }))
    conn.sqlite.prepare('DELETE FROM uploads WHERE id = ?').run(photo)
    expect(refusal(() => tx(() => submitApplication(conn, citizen, draft.id))).fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.file' })
  })
})

describe('a person applying in their own name', () => {
  /** A loss report for SZRS-0005 (no file needed), in the demo citizen's own details unless changed. */
  const lossReport = (changes: Record<string, unknown> = {}) => ({ name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', lossType: 'temp', ...changes })
  const caseCount = () => conn.sqlite.prepare('SELECT count(*) FROM cases').pluck().get()

  it('cannot submit an application naming someone else as the applicant; the draft may hold it, and stays', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZRS-0005', answers: {} }))
    // drafts judge only the shape of answers: another person's details are saved
    tx(() => saveDraft(conn, citizen, draft.id, lossReport({ name: '别人', idNumber: '11010519491231002X' })))
    const e = refusal(() => tx(() => submitApplication(conn, citizen, draft.id)))
    expect(e.statusCode).toBe(400)
    expect(e.fieldErrors).toEqual({ name: 'validation.notTheApplicant', idNumber: 'validation.notTheApplicant' })
    expect(caseCount()).toBe(0)
    expect(getOwnApplication(conn, draft.id, citizen.id)!.status).toBe('draft')
  })

  it('is told in the same answer of answers naming someone else and of missing ones', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZRS-0005', answers: { name: '别人', idNumber: '11010519491231002X' } }))
    expect(refusal(() => tx(() => submitApplication(conn, citizen, draft.id))).fieldErrors).toEqual({
      name: 'validation.notTheApplicant', idNumber: 'validation.notTheApplicant', mobile: 'validation.required', lossType: 'validation.required',
    })
  })

  it('may write their own name with outer spaces and the X of their ID number in small letters; the case is theirs', () => {
    const citizen2Draft = tx(() => createDraft(conn, citizen2, { serviceCode: 'SZRS-0005', answers: { name: ' 李慧芳 ', idNumber: '44030419881115002x', mobile: '13912345678', lossType: 'formal' } }))
    const { caseNo } = tx(() => submitApplication(conn, citizen2, citizen2Draft.id))
    expect(conn.sqlite.prepare('SELECT applicant_id AS applicantId, applicant_name AS name, applicant_id_number AS idNumber FROM cases WHERE case_no = ?').get(caseNo))
      .toEqual({ applicantId: citizen2.id, name: '李慧芳', idNumber: '44030419881115002X' })
  })

  it('may write their own mobile grouped or with +86, as people do; the case records the 11 digits', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZRS-0005', answers: lossReport({ mobile: '+86 138-0013-8000' }) }))
    const { caseNo } = tx(() => submitApplication(conn, citizen, draft.id))
    const { answers } = conn.sqlite.prepare('SELECT answers FROM cases WHERE case_no = ?').get(caseNo) as { answers: string }
    expect(JSON.parse(answers)).toMatchObject({ mobile: '13800138000' })
  })

  it('cannot give another mobile than the account\'s, as at the counter', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZRS-0005', answers: lossReport({ mobile: '13912345678' }) }))
    expect(refusal(() => tx(() => submitApplication(conn, citizen, draft.id))).fieldErrors).toEqual({ mobile: 'validation.notTheApplicant' })
  })

  it('may name other people in the fields that are about them: a spouse\'s ID number is not the applicant\'s', () => {
    const answers = {
      name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', maritalStatus: 'married',
      spouseName: '李慧芳', spouseIdNumber: '44030419881115002X', monthlyRent: 3000, bankName: '中国银行', bankAccount: '6217000000000000',
    }
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGJJ-0002', answers }))
    expect(tx(() => submitApplication(conn, citizen, draft.id)).status).toBe('submitted')
  })

  it('is told plainly, not with an error page, when the account has no ID number on record', () => {
    conn.sqlite.prepare('UPDATE users SET id_number = NULL, mobile = NULL WHERE id = ?').run(citizen.id)
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZRS-0005', answers: lossReport() }))
    const e = refusal(() => tx(() => submitApplication(conn, citizen, draft.id)))
    expect(e.statusCode).toBe(400)
    // no mobile on record holds the mobile to nothing; the ID number cannot be checked
    expect(e.fieldErrors).toEqual({ idNumber: 'validation.noIdNumberOnRecord' })
    expect(caseCount()).toBe(0)
  })

  it('holds only a person\'s own application to it: an organisation\'s contact person may be anyone of it', () => {
    const form = findOnlineForm(conn, 'SZSJ-0003')!.definition
    const person = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
    const answers = { contactName: '王五', contactMobile: '13912345678' }
    expect(notTheApplicantErrors(form, answers, person, 1)).toEqual({})
    expect(notTheApplicantErrors(form, answers, person, null)).toEqual({ contactName: 'validation.notTheApplicant', contactMobile: 'validation.notTheApplicant' })
  })
})

describe('drafts left alone', () => {
  it('are removed after the retention period with their unattached files; attached files stay', async () => {
    const attached = uploadOf(citizen.id, 1000, '2020-01-01T00:00:00.000Z')
    const submitted = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: completeAnswers(attached) }))
    tx(() => submitApplication(conn, citizen, submitted.id))
    const stale = uploadOf(citizen.id, 1000, '2020-01-01T00:00:00.000Z')
    const fresh = uploadOf(citizen.id, 1000, '2020-01-01T00:00:00.000Z')
    const oldDraft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { digitalPhotoReceiptFile: [stale] } }, new Date('2020-01-02T00:00:00Z')))
    const newDraft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { digitalPhotoReceiptFile: [fresh] } }))
    const result = await removeStaleDrafts(conn, new Date(), 30)
    expect(result).toEqual({ drafts: 1, uploads: 1 })
    expect(getOwnApplication(conn, oldDraft.id, citizen.id)).toBeNull()
    expect(getOwnApplication(conn, newDraft.id, citizen.id)).not.toBeNull()
    const left = (conn.sqlite.prepare('SELECT id FROM uploads').all() as { id: string }[]).map(r => r.id)
    expect(left.sort()).toEqual([attached, fresh].sort())
  })

  it('go in short steps, so a file picked from the library while the cleanup runs is kept', async () => {
    const old = Array.from({ length: 6 }, () => uploadOf(citizen.id, 1000, '2020-01-01T00:00:00.000Z'))
    const picked = old.at(-1)!
    let draftId = ''
    // runs at the first turn of the event loop the cleanup gives up, after its first step
    setImmediate(() => { draftId = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { digitalPhotoReceiptFile: [picked] } })).id })
    const result = await removeStaleDrafts(conn, new Date(), 30, 2)
    expect(draftId).not.toBe('')
    expect(result.uploads).toBe(5)
    const left = (conn.sqlite.prepare('SELECT id FROM uploads').all() as { id: string }[]).map(r => r.id)
    expect(left.filter(id => old.includes(id))).toEqual([picked])
    const audited = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'drafts.cleanup'`).all() as { detail: string }[]
    expect(audited.reduce((n, r) => n + (JSON.parse(r.detail) as { uploads: number }).uploads, 0)).toBe(5)
  })
})

describe('a fault while saving or submitting (the disk full, a bug), not a refusal', () => {
  it('goes to the framework as unhandled, so its own text is logged but never sent to the client', () => {
    const error = createError(httpErrorOf(new Error('database or disk is full')))
    expect(error.statusCode).toBe(500)
    expect(error.unhandled).toBe(true)
    // a refusal stays what it is, told to the person
    const refusal = createError(httpErrorOf(new ApplicationError(400, 'The application is not complete', { name: 'validation.required' })))
    expect(refusal.unhandled).toBe(false)
    expect(refusal.data).toEqual({ fieldErrors: { name: 'validation.required' } })
  })
})
