/**
 * A correction after a one-time notice (一次性告知) is held to the rules of the submission it
 * corrects: the case stays about its own person or organisation, a changed answer may bring up
 * the fields it makes necessary, a hidden field is neither asked for nor kept, and an e-licence
 * copy serves only its holder's applications.
 */
import { randomBytes } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { createDraft, submitApplication } from '../../server/services/applications'
import { findVisibleCase } from '../../server/services/case-views'
import { receiveCounterCase } from '../../server/services/counter'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { makeUscc } from '../../shared/utils/uscc'
import { failure } from '../support/case-errors'
import { freshDatabase, userIdOf } from '../support/db'

const CITIZEN = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const COMPANY_A = { name: '深圳市甲公司', uscc: makeUscc('91440300MA5G12345') }
const COMPANY_B = { name: '深圳市乙公司', uscc: makeUscc('91440300MA5G54321') }
const now = new Date('2026-03-02T02:00:00Z')

type User = TransitionInput['user']
let conn: Connection
let citizen: User
let clerkRs: User
let clerkGa: User
let clerkSj: User

function upload(owner: number): string {
  const id = randomBytes(16).toString('base64url')
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES (?, ?, 'scan.pdf', 1000, 'application/pdf', 'x', ?, '2026-03-01T00:00:00.000Z')`)
    .run(id, owner, id)
  return id
}

function addOrganization(org: { name: string, uscc: string }, username = 'citizen'): number {
  return Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(userIdOf(conn, username), org.name, org.uscc).lastInsertRowid)
}

/** The citizen applies online through a draft, as the apply page does. */
function applyOnline(serviceCode: string, answers: Record<string, unknown>, organizationId: number | null = null): string {
  const actor = { id: citizen.id, role: 'citizen' as const }
  return writeTransaction(conn, () => {
    const draft = createDraft(conn, actor, { serviceCode, answers, organizationId }, now)
    return submitApplication(conn, actor, draft.id, null, now).caseNo
  })
}

function act(caseNo: string, by: User, action: TransitionInput['action'], extra: Partial<TransitionInput> = {}) {
  const version = (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version
  return applyTransition(conn, { caseNo, action, version, user: by, now, ...extra })
}

function returnFor(caseNo: string, by: User, fields: string[]) {
  return act(caseNo, by, 'return', { comment: '请补正', supplement: { fields, materials: [] } })
}

/**
 * A stored notice that names the applicant's own answers, as one given before such notices were
 * refused (case.errors.fieldHeldToApplicant) may still be: a return naming them now is refused, so
 * the case is returned with a reason only and its notice made to name them as the old one did.
 */
function heldNoticeFromBefore(caseNo: string, by: User, fields: string[]): void {
  expect(failure(() => returnFor(caseNo, by, fields)).data?.fieldErrors)
    .toEqual(Object.fromEntries(fields.map((_, i) => [`supplement.fields.${i}`, 'case.errors.fieldHeldToApplicant'])))
  returnFor(caseNo, by, [])
  conn.sqlite.prepare(`UPDATE cases SET supplement_notice = json_set(supplement_notice, '$.fields', json(?)) WHERE case_no = ?`).run(JSON.stringify(fields), caseNo)
}

const materialsOf = (caseNo: string) => conn.sqlite.prepare('SELECT field_key AS fieldKey, upload_id AS uploadId FROM case_materials WHERE case_no = ? ORDER BY field_key')
  .all(caseNo) as { fieldKey: string, uploadId: string }[]

/** An e-licence issued on some earlier case, with its PDF copy among the citizen's uploads. */
function licenceCopy(holder: { kind: 'person' } | { kind: 'organization', orgId: number }): string {
  const copy = upload(citizen.id)
  const origin = writeTransaction(conn, () => receiveCounterCase(conn, {
    serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk: clerkRs,
  }, now)).caseNo
  conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_kind, holder_org_id, holder_name, holder_id_number, number, issued_at, upload_id)
    VALUES (?, ?, 'SZRS-0004', ?, ?, ?, ?, ?, 'No. 1', '2026-01-05T02:00:00Z', ?)`)
    .run(`R${randomBytes(6).toString('hex')}`, origin, citizen.id, holder.kind, holder.kind === 'organization' ? holder.orgId : null,
      holder.kind === 'organization' ? COMPANY_A.name : CITIZEN.name, holder.kind === 'organization' ? COMPANY_A.uscc : CITIZEN.idNumber, copy)
  return copy
}

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerkRs = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  clerkGa = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
  const sj = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES ('clerk-sj', 'x', 'clerk', 'SZSJ', '市场监管受理员')`).run()
  clerkSj = { id: Number(sj.lastInsertRowid), role: 'clerk', departmentCode: 'SZSJ' }
})

describe('a correction keeps the case about its own applicant', () => {
  function companyChange(orgId: number): string {
    return applyOnline('SZSJ-0003', {
      orgName: COMPANY_A.name, orgCode: COMPANY_A.uscc, contactName: CITIZEN.name, contactMobile: CITIZEN.mobile,
      changeItem: 'address', newValue: '深圳市南山区科技园', resolutionDate: '2026-02-20', shareholdersResolutionFile: [upload(citizen.id)],
    }, orgId)
  }

  it('a company\'s case cannot be turned into another company\'s by correcting its name, as at submission', () => {
    const caseNo = companyChange(addOrganization(COMPANY_A))
    returnFor(caseNo, clerkSj, ['orgName'])
    const other = failure(() => act(caseNo, citizen, 'resubmit', { answers: { orgName: COMPANY_B.name } }))
    expect(other.statusCode).toBe(400)
    expect(other.data?.fieldErrors).toEqual({ orgName: 'validation.notTheOrganization' })
    expect(findVisibleCase(conn, caseNo, citizen)!.status).toBe('supplement')
    // the organisation's own name, however it is spaced, is accepted
    expect(act(caseNo, citizen, 'resubmit', { answers: { orgName: ' 深圳市 甲公司 ' } }).status).toBe('submitted')
  })

  it('a counter case cannot be turned into another person\'s by a notice from before such notices were refused: the clerk is told to take in a new case', () => {
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk: clerkRs,
    }, now))
    heldNoticeFromBefore(caseNo, clerkRs, ['idNumber', 'name', 'mobile'])
    const other = failure(() => act(caseNo, clerkRs, 'resubmit', { answers: CITIZEN }))
    expect(other.statusCode).toBe(400)
    expect(other.data?.fieldErrors).toEqual({ name: 'case.errors.notTheApplicant', idNumber: 'case.errors.notTheApplicant', mobile: 'case.errors.notTheApplicant' })
    const row = findVisibleCase(conn, caseNo, clerkRs)!
    expect(row.status).toBe('supplement')
    expect(JSON.parse(row.answers)).toMatchObject(ZHAO)
    // the same person (other letter case, spaces) goes through, and an emptied answer is the applicant's again
    const again = act(caseNo, clerkRs, 'resubmit', { answers: { name: ` ${ZHAO.name}`, idNumber: ZHAO.idNumber.toLowerCase(), mobile: '' } })
    expect(again.status).toBe('submitted')
    expect(JSON.parse(findVisibleCase(conn, caseNo, clerkRs)!.answers)).toMatchObject(ZHAO)
  })
})

describe('a correction may answer what a corrected answer brings up', () => {
  const renewal = (extra: Record<string, unknown> = {}) => applyOnline('SZGA-0001', {
    ...CITIZEN, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [upload(citizen.id)], ...extra,
  })

  it('a changed reason for renewal can be resubmitted with the changed details it now needs', () => {
    const caseNo = renewal()
    returnFor(caseNo, clerkGa, ['renewReason'])
    const missing = failure(() => act(caseNo, citizen, 'resubmit', { answers: { renewReason: 'changed' } }))
    expect(missing.data?.fieldErrors).toEqual({ changedItem: 'validation.required' })
    // a field the listed answer does not govern is still not the applicant's to change
    const other = failure(() => act(caseNo, citizen, 'resubmit', { answers: { renewReason: 'changed', changedItem: '姓名', mobile: '13900000000' } }))
    expect(other.data?.fieldErrors).toEqual({ mobile: 'case.errors.notListed' })
    const again = act(caseNo, citizen, 'resubmit', { answers: { renewReason: 'changed', changedItem: '姓名' } })
    expect(again.status).toBe('submitted')
    expect(again.answers).toMatchObject({ renewReason: 'changed', changedItem: '姓名' })
  })
})

describe('a correction neither asks for nor keeps a hidden field', () => {
  it('a notice cannot list a field the case\'s answers hide', () => {
    const caseNo = applyOnline('SZGA-0001', { ...CITIZEN, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [upload(citizen.id)] })
    const e = failure(() => returnFor(caseNo, clerkGa, ['renewReason', 'changedItem']))
    expect(e.statusCode).toBe(400)
    expect(e.data?.fieldErrors).toEqual({ 'supplement.fields.1': 'case.errors.fieldHidden' })
    expect(findVisibleCase(conn, caseNo, clerkGa)!.status).toBe('submitted')
  })

  it('the file of a field a correction hides leaves the case\'s materials', () => {
    const scan = upload(citizen.id)
    const caseNo = applyOnline('SZGA-0004', {
      ...CITIZEN, babyName: '张小宝', babyGender: 'male', birthDate: '2026-02-01', birthInShenzhen: 'no', birthCertNo: 'Q440012345',
      followParent: 'father', relationship: '父子', scannedMedicalCertificateFile: [scan],
    })
    expect(materialsOf(caseNo)).toEqual([{ fieldKey: 'scannedMedicalCertificateFile', uploadId: scan }])
    returnFor(caseNo, clerkGa, ['birthInShenzhen'])
    const again = act(caseNo, citizen, 'resubmit', { answers: { birthInShenzhen: 'yes' } })
    expect(again.answers.scannedMedicalCertificateFile).toBeUndefined()
    expect(materialsOf(caseNo)).toEqual([])
  })
})

describe('an organisation\'s e-licence serves only that organisation\'s applications', () => {
  it('cannot be given as a corrected material of the person\'s own case or another organisation\'s', () => {
    const companyA = addOrganization(COMPANY_A)
    const companyB = addOrganization(COMPANY_B)
    const orgCopy = licenceCopy({ kind: 'organization', orgId: companyA })
    const personal = applyOnline('SZGA-0001', { ...CITIZEN, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [upload(citizen.id)] })
    returnFor(personal, clerkGa, ['digitalPhotoReceiptFile'])
    const refused = failure(() => act(personal, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: [orgCopy] } }))
    expect(refused.statusCode).toBe(400)
    expect(refused.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.otherHolderLicence' })
    // the person's own licence serves them
    expect(act(personal, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: [licenceCopy({ kind: 'person' })] } }).status).toBe('submitted')

    const change = (orgId: number, org: typeof COMPANY_A) => applyOnline('SZSJ-0003', {
      orgName: org.name, orgCode: org.uscc, contactName: CITIZEN.name, contactMobile: CITIZEN.mobile,
      changeItem: 'address', newValue: '深圳市南山区科技园', resolutionDate: '2026-02-20', shareholdersResolutionFile: [upload(citizen.id)],
    }, orgId)
    const forB = change(companyB, COMPANY_B)
    returnFor(forB, clerkSj, ['supportingDocumentsChangeFile'])
    expect(failure(() => act(forB, citizen, 'resubmit', { answers: { supportingDocumentsChangeFile: [orgCopy] } })).data?.fieldErrors)
      .toEqual({ supportingDocumentsChangeFile: 'validation.otherHolderLicence' })
    const forA = change(companyA, COMPANY_A)
    returnFor(forA, clerkSj, ['supportingDocumentsChangeFile'])
    expect(act(forA, citizen, 'resubmit', { answers: { supportingDocumentsChangeFile: [orgCopy] } }).status).toBe('submitted')
  })
})
