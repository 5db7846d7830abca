/**
 * 文书: every decision the law asks to be given in writing is a document of the case, numbered in
 * order, dated, with what the applicant needs from it (the deadline, the items to correct, the
 * reason), readable by whoever may read the case and by no one else.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { caseDocument, documentEvents } from '../../server/services/case-documents'
import { getGuide } from '../../server/services/catalogue'
import { publishGuide, saveGuideDraft } from '../../server/services/catalogue-admin'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { receiveCounterCase } from '../../server/services/counter'
import { trackCase } from '../../server/services/tracking'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'
import { CITIZEN, receiveOnline } from '../support/online-cases'

const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
/** SZRS-0004's form has no upload for it: a counter case brings it on paper */
const ID_CARD = '居民身份证'
const PHOTO = '近期免冠彩色数码照片回执'
/** 10:00 in Shenzhen on a day. */
const at = (day: string) => new Date(`${day}T02:00:00Z`)

type Viewer = { id: number, role: string, departmentCode: string | null }
let conn: Connection
let citizen: Viewer
let clerk: Viewer
/** the head of the clerk's department, who alone extends a time limit */
let head: Viewer
let otherClerk: Viewer
let manager: Viewer

/** The citizen applies online for a social security card (SZRS-0004, a 承诺件) on Mon 2 Mar 2026. */
const applyOnline = () => receiveOnline(conn, citizen.id, at('2026-03-02'))

const versionOf = (caseNo: string) => (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version
const act = (caseNo: string, by: Viewer, action: TransitionInput['action'], day: string, extra: Partial<TransitionInput> = {}) =>
  applyTransition(conn, { caseNo, action, version: versionOf(caseNo), user: by as TransitionInput['user'], now: at(day), ...extra })

/** The document of the case's `kind`th event of that kind, as `viewer` reads it. */
function documentOf(caseNo: string, kind: string, viewer: Viewer, nth = 0) {
  const event = documentEvents(conn, caseNo).filter(e => e.kind === kind)[nth]!
  const row = findVisibleCase(conn, caseNo, viewer)
  return row && caseDocument(conn, row, event.id, viewer)
}

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  head = { id: userIdOf(conn, 'head'), role: 'clerk', departmentCode: 'SZRS' }
  otherClerk = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
  manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
})

describe('the written documents of a case', () => {
  it('gives an acceptance notice with the deadline it set, numbered after the case, and links it from the history', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-03')
    const doc = documentOf(caseNo, 'acceptance', citizen)!
    const deadline = findVisibleCase(conn, caseNo, citizen)!.deadline
    expect(doc).toMatchObject({
      kind: 'acceptance', number: `${caseNo}-01`, caseNo, receivedDate: '2026-03-02', deadline,
      department: { code: 'SZRS' }, service: { code: 'SZRS-0004' },
      applicant: { name: CITIZEN.name, idNumberMasked: expect.not.stringContaining('19900307') },
    })
    expect(doc.issuedAt.slice(0, 10)).toBe('2026-03-03')
    // the case page's history marks the event that issued it, by its id
    const events = caseDetail(conn, findVisibleCase(conn, caseNo, citizen)!, citizen, at('2026-03-03')).events
    expect(events.filter(e => e.document)).toEqual([expect.objectContaining({ action: 'accept', document: 'acceptance', id: doc.id })])
  })

  it('lists a return\'s items by name, the counter\'s paper ones apart, and numbers the documents in order', () => {
    const caseNo = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'icbc', collectWay: 'branch' }, paperMaterials: [ID_CARD], clerk,
    }, at('2026-03-02'))).caseNo
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '请带身份证原件', supplement: { fields: ['cardBank'], materials: [ID_CARD] } })
    const doc = documentOf(caseNo, 'corrections', clerk)!
    expect(doc.number).toBe(`${caseNo}-01`)
    expect(doc.reason).toBe('请带身份证原件')
    expect(doc.items).toEqual({ fields: [{ key: 'cardBank', label: expect.objectContaining({ zh: expect.any(String) }) }], materials: [ID_CARD], atCounter: [ID_CARD] })
    act(caseNo, clerk, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } })
    act(caseNo, clerk, 'accept', '2026-03-04')
    expect(documentOf(caseNo, 'acceptance', clerk)!.number).toBe(`${caseNo}-02`)
  })

  it('gives a refusal and a rejection their reasons, and an approval its e-licence', () => {
    const refused = applyOnline()
    act(refused, clerk, 'refuse', '2026-03-03', { comment: '不属于本市受理范围' })
    expect(documentOf(refused, 'refusal', citizen)).toMatchObject({ kind: 'refusal', reason: '不属于本市受理范围', deadline: null })

    const rejected = applyOnline()
    act(rejected, clerk, 'accept', '2026-03-03')
    act(rejected, clerk, 'reject', '2026-03-05', { comment: '不符合申领条件' })
    expect(documentOf(rejected, 'rejection', citizen)).toMatchObject({ reason: '不符合申领条件', number: `${rejected}-02` })

    const approved = applyOnline()
    act(approved, clerk, 'accept', '2026-03-03')
    act(approved, clerk, 'approve', '2026-03-05')
    const code = conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').pluck().get(approved) as string | undefined
    expect(code).toBeDefined()
    // the e-licence names the applicant, a person: the document says where a person finds it
    expect(documentOf(approved, 'approval', citizen)).toMatchObject({ kind: 'approval', resultCode: code, resultHolderKind: 'person' })
  })

  it('tells an extension\'s days and new deadline, and who approved it to staff only', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-03')
    act(caseNo, head, 'extend', '2026-03-05', { comment: '需要实地核查', days: 5 })
    const deadline = findVisibleCase(conn, caseNo, clerk)!.deadline
    expect(documentOf(caseNo, 'extension', clerk)).toMatchObject({ deadline, extension: { days: 5, approvedBy: '赵志刚' } })
    const applicants = documentOf(caseNo, 'extension', citizen)!
    expect(applicants).toMatchObject({ deadline, reason: '需要实地核查', extension: { days: 5 } })
    expect(applicants.extension).not.toHaveProperty('approvedBy')
  })

  it('keeps what each document said when the case moves on: its number, and the deadline the acceptance set', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-03')
    const set = findVisibleCase(conn, caseNo, clerk)!.deadline
    act(caseNo, head, 'extend', '2026-03-05', { comment: '需要实地核查', days: 5 })
    expect(findVisibleCase(conn, caseNo, clerk)!.deadline).not.toBe(set)
    expect(documentOf(caseNo, 'acceptance', citizen)).toMatchObject({ number: `${caseNo}-01`, deadline: set })
    expect(documentOf(caseNo, 'extension', citizen)!.number).toBe(`${caseNo}-02`)
  })

  it('words corrections asked for after acceptance as such, and gives an acceptance after them the deadline the case keeps', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-03')
    act(caseNo, clerk, 'return', '2026-03-04', { comment: '照片不清晰', supplement: { fields: [], materials: [PHOTO] } })
    const photo = `up-${Math.random().toString(36).slice(2, 10)}`
    conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, 'photo2.jpg', 1000, 'image/jpeg', 'y', ?)`).run(photo, citizen.id, photo)
    act(caseNo, citizen, 'resubmit', '2026-03-05', { answers: { digitalPhotoReceiptFile: [photo] } })
    act(caseNo, clerk, 'accept', '2026-03-05')
    expect(documentOf(caseNo, 'corrections', citizen)).toMatchObject({ afterAcceptance: true })
    const again = documentOf(caseNo, 'acceptance', citizen, 1)!
    expect(again.number).toBe(`${caseNo}-03`)
    expect(again.deadline).toBe(findVisibleCase(conn, caseNo, citizen)!.deadline)

    const before = applyOnline()
    act(before, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: [], materials: [PHOTO] } })
    expect(documentOf(before, 'corrections', citizen)).toMatchObject({ afterAcceptance: false })
  })

  it('is titled by the item as the case was received: a guide renamed or retyped since changes no document', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-03')
    act(caseNo, clerk, 'approve', '2026-03-05')
    const issued = documentOf(caseNo, 'approval', citizen)!.service
    expect(issued).toMatchObject({ name: '社会保障卡申领', type: 'public_service' })
    const { department: _d, onlineAvailable: _o, ...rest } = getGuide(conn, 'SZRS-0004')!
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin' as const, departmentCode: null }
    writeTransaction(conn, () => saveGuideDraft(conn, admin, 'SZRS-0004', { ...rest, department: 'SZRS', name: '社会保障卡申领（新版）', type: 'licensing' }))
    writeTransaction(conn, () => publishGuide(conn, admin, 'SZRS-0004'))
    expect(getGuide(conn, 'SZRS-0004')!.name).toBe('社会保障卡申领（新版）')
    expect(documentOf(caseNo, 'approval', citizen)!.service).toEqual(issued)
  })

  it('tells a suspension\'s reason and expected days', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-03')
    act(caseNo, clerk, 'suspend', '2026-03-04', { suspension: { kind: 'expertReview', expectedDays: 15 } })
    expect(documentOf(caseNo, 'suspension', citizen)).toMatchObject({ suspension: { kind: 'expertReview', expectedDays: 15 }, deadline: null })
  })

  it('masks an ID number typed into the reason for staff other than its author, as the case page does', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'refuse', '2026-03-03', { comment: `证件号码 ${CITIZEN.idNumber} 与户籍信息不符` })
    expect(documentOf(caseNo, 'refusal', citizen)!.reason).toContain(CITIZEN.idNumber)
    expect(documentOf(caseNo, 'refusal', clerk)!.reason).toContain(CITIZEN.idNumber)
    expect(documentOf(caseNo, 'refusal', manager)!.reason).not.toContain(CITIZEN.idNumber)
  })

  it('is none for another department\'s clerk, an event of another case, or an event that issued nothing', () => {
    const caseNo = applyOnline()
    const other = applyOnline()
    act(caseNo, clerk, 'accept', '2026-03-03')
    act(other, clerk, 'accept', '2026-03-03')
    expect(documentOf(caseNo, 'acceptance', otherClerk)).toBeUndefined()
    const row = findVisibleCase(conn, caseNo, citizen)!
    const othersEvent = documentEvents(conn, other)[0]!.id
    expect(caseDocument(conn, row, othersEvent, citizen)).toBeUndefined()
    const submitEvent = conn.sqlite.prepare(`SELECT id FROM case_events WHERE case_no = ? AND action = 'submit'`).pluck().get(caseNo) as number
    expect(caseDocument(conn, row, submitEvent, citizen)).toBeUndefined()
  })
})

describe('the photo material name stays as the guide names it', () => {
  it('is listed by the material, not twice by its upload', () => {
    const caseNo = applyOnline()
    act(caseNo, clerk, 'return', '2026-03-03', { comment: '照片不清晰', supplement: { fields: [], materials: [PHOTO] } })
    const items = documentOf(caseNo, 'corrections', citizen)!.items!
    expect(items.materials).toEqual([PHOTO])
    expect(items.fields).toEqual([])
    expect(items).not.toHaveProperty('atCounter')
  })
})

describe('the documents on public tracking, for an applicant without an account', () => {
  it('are given with the name and numbers masked, no approver and no e-licence code', () => {
    const counter = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'icbc', collectWay: 'branch' }, paperMaterials: [ID_CARD], clerk,
    }, at('2026-03-02'))).caseNo
    act(counter, clerk, 'accept', '2026-03-03')
    act(counter, head, 'extend', '2026-03-05', { comment: `核对 ${ZHAO.idNumber} 的户籍`, days: 3 })
    act(counter, clerk, 'approve', '2026-03-06')
    const tracked = trackCase(conn, counter, ZHAO.idNumber)!
    const documents = tracked.events.flatMap(e => (e.document ? [e.document] : []))
    expect(documents.map(d => d.kind)).toEqual(['acceptance', 'extension', 'approval'])
    expect(documents.map(d => d.number)).toEqual([`${counter}-01`, `${counter}-02`, `${counter}-03`])
    for (const d of documents) {
      expect(d.applicant.name).toBe('赵**')
      expect(d).not.toHaveProperty('resultCode')
      expect(d).not.toHaveProperty('resultHolderKind')
    }
    const extension = documents[1]!
    expect(extension.extension).toEqual({ days: 3 })
    expect(extension.reason).not.toContain(ZHAO.idNumber)
    expect(JSON.stringify(tracked)).not.toContain(ZHAO.idNumber)
    expect(JSON.stringify(tracked)).not.toContain(ZHAO.name)
    expect(documents.every(d => d.organization === null)).toBe(true)
  })
})
