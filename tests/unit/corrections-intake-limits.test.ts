/**
 * A resubmission after a one-time notice (一次性告知) cannot do what the submission it corrects
 * could not: name someone other than the account holder on a person's own online case, bring the
 * case's files over the size limit together, or attach uploads that are not the caller's to
 * attach, told as the applicant and the clerks who would try.
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
import { makeIdNumber } from '../../shared/utils/id-number'
import { makeUscc } from '../../shared/utils/uscc'
import { failure } from '../support/case-errors'
import { freshDatabase, userIdOf } from '../support/db'

const ME = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
/** citizen2's: a real person's valid ID number, not the account holder's */
const LI = { name: '李慧芳', idNumber: '44030419881115002X', mobile: '13912345678' }
const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const QIAN = { name: '钱晓东', idNumber: makeIdNumber('44030319850612001'), mobile: '13622223333' }
const COMPANY = { name: '深圳市甲公司', uscc: makeUscc('91440300MA5G12345') }
const MB = 1024 * 1024
const now = new Date('2026-03-02T02:00:00Z')

type User = TransitionInput['user']
let conn: Connection
let citizen: User
let clerkRs: User
let clerkGa: User
let clerkSj: User

function upload(owner: number, size = 1000): string {
  const id = randomBytes(16).toString('base64url')
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES (?, ?, 'scan.pdf', ?, 'application/pdf', 'x', ?, '2026-03-01T00:00:00.000Z')`)
    .run(id, owner, size, id)
  return id
}

function applyOnline(serviceCode: string, answers: Record<string, unknown>, organizationId: number | null = null): string {
  const actor = { id: citizen.id, role: 'citizen' as const }
  return writeTransaction(conn, () => {
    const draft = createDraft(conn, actor, { serviceCode, answers, organizationId }, now)
    return submitApplication(conn, actor, draft.id, null, now).caseNo
  })
}

const renewal = (photo: string) => applyOnline('SZGA-0001', { ...ME, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [photo] })

function act(caseNo: string, by: User, action: TransitionInput['action'], extra: Partial<TransitionInput> = {}) {
  const version = (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version
  return applyTransition(conn, { caseNo, action, version, user: by, now, ...extra })
}

const returnFor = (caseNo: string, by: User, fields: string[]) => act(caseNo, by, 'return', { comment: '请补正', supplement: { fields, materials: [] } })

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

const materialsOf = (caseNo: string) => (conn.sqlite.prepare('SELECT upload_id AS id FROM case_materials WHERE case_no = ? ORDER BY upload_id')
  .all(caseNo) as { id: string }[]).map(m => m.id)
const answersOf = (caseNo: string) => JSON.parse(findVisibleCase(conn, caseNo, citizen)!.answers) as Record<string, unknown>

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerkRs = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  clerkGa = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
  const sj = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES ('clerk-sj', 'x', 'clerk', 'SZSJ', '市场监管受理员')`).run()
  clerkSj = { id: Number(sj.lastInsertRowid), role: 'clerk', departmentCode: 'SZSJ' }
})

describe('an applicant asked to check their ID number on an online application, by a notice from before such notices were refused', () => {
  it('cannot give someone else\'s, as at submission: the case keeps naming the account holder', () => {
    const caseNo = renewal(upload(citizen.id))
    heldNoticeFromBefore(caseNo, clerkGa, ['name', 'idNumber'])
    const other = failure(() => act(caseNo, citizen, 'resubmit', { answers: { name: LI.name, idNumber: LI.idNumber } }))
    expect(other.statusCode).toBe(400)
    expect(other.data?.fieldErrors).toEqual({ name: 'validation.notTheApplicant', idNumber: 'validation.notTheApplicant' })
    expect(findVisibleCase(conn, caseNo, citizen)!.status).toBe('supplement')
    expect(answersOf(caseNo)).toMatchObject({ name: ME.name, idNumber: ME.idNumber })
  })

  it('confirms their own, unchanged, and the case goes back to the clerk', () => {
    const caseNo = renewal(upload(citizen.id))
    heldNoticeFromBefore(caseNo, clerkGa, ['idNumber'])
    expect(act(caseNo, citizen, 'resubmit', { answers: { idNumber: ME.idNumber } }).status).toBe('submitted')
    expect(answersOf(caseNo)).toMatchObject({ idNumber: ME.idNumber })
  })
})

describe('an applicant asked for one material', () => {
  it('cannot hand in more than the size limit allows the whole application (20 files of 10 MB)', () => {
    const photo = upload(citizen.id)
    const caseNo = renewal(photo)
    returnFor(caseNo, clerkGa, ['digitalPhotoReceiptFile'])
    const many = Array.from({ length: 20 }, () => upload(citizen.id, 10 * MB))
    const refused = failure(() => act(caseNo, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: many } }))
    expect(refused.statusCode).toBe(413)
    expect(refused.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.applicationTooLarge' })
    expect(materialsOf(caseNo)).toEqual([photo])
    expect(findVisibleCase(conn, caseNo, citizen)!.status).toBe('supplement')
    // compressed into a few, it goes through
    const few = many.slice(0, 4)
    expect(act(caseNo, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: few } }).status).toBe('submitted')
    expect(materialsOf(caseNo)).toEqual([...few].sort())
  })

  it('counts the files the case keeps in its other fields too', () => {
    const org = Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(citizen.id, COMPANY.name, COMPANY.uscc).lastInsertRowid)
    const caseNo = applyOnline('SZSJ-0003', {
      orgName: COMPANY.name, orgCode: COMPANY.uscc, contactName: ME.name, contactMobile: ME.mobile,
      changeItem: 'address', newValue: '深圳市南山区科技园', resolutionDate: '2026-02-20', shareholdersResolutionFile: [upload(citizen.id, 30 * MB)],
    }, org)
    returnFor(caseNo, clerkSj, ['supportingDocumentsChangeFile'])
    const refused = failure(() => act(caseNo, citizen, 'resubmit', { answers: { supportingDocumentsChangeFile: [upload(citizen.id, 25 * MB)] } }))
    expect(refused.statusCode).toBe(413)
    expect(refused.data?.fieldErrors).toEqual({ supportingDocumentsChangeFile: 'validation.applicationTooLarge' })
    expect(act(caseNo, citizen, 'resubmit', { answers: { supportingDocumentsChangeFile: [upload(citizen.id, 15 * MB)] } }).status).toBe('submitted')
  })
})

describe('a clerk moved from public security to social security, recording a correction at the counter', () => {
  it('cannot attach the scans they made for a public security case; their new scans, and the case\'s own, are fine', () => {
    const oldScan = upload(clerkGa.id)
    writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZGA-0001', applicant: QIAN, answers: { renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [oldScan] }, clerk: clerkGa,
    }, now))
    const intakeScan = upload(clerkRs.id)
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'boc', collectWay: 'branch', digitalPhotoReceiptFile: [intakeScan] }, clerk: clerkRs,
    }, now))
    returnFor(caseNo, clerkRs, ['digitalPhotoReceiptFile'])
    conn.sqlite.prepare(`UPDATE users SET department_code = 'SZRS' WHERE id = ?`).run(clerkGa.id)
    const moved: User = { ...clerkGa, departmentCode: 'SZRS' }
    const refused = failure(() => act(caseNo, moved, 'resubmit', { answers: { digitalPhotoReceiptFile: [intakeScan, oldScan] } }))
    expect(refused.statusCode).toBe(400)
    expect(refused.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.file' })
    expect(materialsOf(caseNo)).toEqual([intakeScan])
    const newScan = upload(clerkGa.id)
    expect(act(caseNo, moved, 'resubmit', { answers: { digitalPhotoReceiptFile: [intakeScan, newScan] } }).status).toBe('submitted')
    expect(materialsOf(caseNo)).toEqual([intakeScan, newScan].sort())
  })
})

describe('an applicant correcting their counter case online', () => {
  it('cannot attach an upload of the intake clerk that the case does not hold; the clerk\'s scan on the case and their own are fine', () => {
    const intakeScan = upload(clerkRs.id)
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: ME, answers: { cardBank: 'boc', collectWay: 'branch', digitalPhotoReceiptFile: [intakeScan] }, clerk: clerkRs,
    }, now))
    expect(findVisibleCase(conn, caseNo, citizen)!.applicantId).toBe(citizen.id)
    returnFor(caseNo, clerkRs, ['digitalPhotoReceiptFile'])
    const clerksOther = upload(clerkRs.id)
    const refused = failure(() => act(caseNo, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: [intakeScan, clerksOther] } }))
    expect(refused.statusCode).toBe(400)
    expect(refused.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.file' })
    const mine = upload(citizen.id)
    expect(act(caseNo, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: [intakeScan, mine] } }).status).toBe('submitted')
    expect(materialsOf(caseNo)).toEqual([intakeScan, mine].sort())
  })
})
