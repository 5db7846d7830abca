/**
 * A counter intake over HTTP, as the clerk's page makes it: the paper materials ticked are checked
 * against the item's guide and kept; the answer gives what the clerk tells the applicant (day
 * received, deadline, item, department); and the receipt to print is for the case's department and
 * managers only, each opening of it audited. The item is 社会保障卡申领 (SZRS-0004).
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CounterIntake } from '../../server/services/counter'
import type { CaseDetail, CaseDocument, CaseReceipt } from '../../shared/types/case'
import { Client, signedIn } from '../support/client'
import { demoPerson } from '../support/fixtures'
import { useTestServer } from '../support/server'

const t = useTestServer()
// the demo citizen, whose account the case is linked to: the applicant still has no access to the clerk's receipt
const PERSON = demoPerson('citizen')
const ANSWERS = { cardBank: 'icbc', collectWay: 'branch' }
const ID_CARD = '居民身份证'
const PHOTO = '近期免冠彩色数码照片回执'

let clerk: Client
let clerk2: Client
let citizen: Client
let manager: Client

beforeAll(async () => {
  clerk = await signedIn(t.url, 'clerk')
  clerk2 = await signedIn(t.url, 'clerk2')
  citizen = await signedIn(t.url, 'citizen')
  manager = await signedIn(t.url, 'manager')
})

/** The intake's answer: the case made, or the refusal's field errors. */
type IntakeAnswer = Omit<CounterIntake, 'replayed'> & { data?: { fieldErrors: Record<string, string> } }

const intake = (paperMaterials?: unknown) =>
  clerk.post<IntakeAnswer>('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: PERSON, answers: ANSWERS, ...(paperMaterials === undefined ? {} : { paperMaterials }) })

function receiptReads(caseNo: string): { actorRole: string, detail: string }[] {
  const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
  try {
    return db.prepare(`SELECT actor_role AS actorRole, detail FROM audit_log WHERE action = 'case.read' AND subject = ? ORDER BY id`).all(caseNo) as { actorRole: string, detail: string }[]
  }
  finally { db.close() }
}

describe('a counter intake with the paper materials handed in', () => {
  it('answers with the case number, the day received, the deadline, the item, its department and the materials recorded', async () => {
    const res = await intake([PHOTO, ID_CARD])
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toEqual({
      caseNo: expect.stringMatching(/^SZ\d{14}$/),
      channel: 'counter',
      receivedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      serviceName: '社会保障卡申领',
      serviceNameEn: 'Application for a Social Security Card',
      department: { code: 'SZRS', name: '深圳市人力资源和社会保障局', nameEn: expect.any(String) },
      paperMaterials: [ID_CARD, PHOTO],
    })
    const kase = (await clerk.get<CaseDetail>(`/api/cases/${res.body.caseNo}`)).body
    expect([res.body.receivedDate, res.body.deadline]).toEqual([kase.receivedDate, kase.deadline])
  })

  it('is refused for a material the guide does not list, for one ticked twice, and for a list that is not one', async () => {
    const unknown = await intake([ID_CARD, '户口簿'])
    expect(unknown.status).toBe(400)
    expect(unknown.body.data?.fieldErrors).toEqual({ paperMaterials: 'case.counterReceipt.errors.notInGuide' })
    const twice = await intake([ID_CARD, ID_CARD])
    expect(twice.status).toBe(400)
    expect(twice.body.data?.fieldErrors).toEqual({ paperMaterials: 'case.counterReceipt.errors.duplicate' })
    const notAList = await intake(ID_CARD)
    expect(notAList.status).toBe(400)
    expect(notAList.body.data?.fieldErrors).toEqual({ paperMaterials: 'validation.invalidType' })
  })

  it('is still taken without the list, as clients sent it before there was one', async () => {
    const res = await intake()
    expect(res.status).toBe(201)
    expect(res.body.paperMaterials).toEqual([])
  })
})

describe('the receipt of a counter case', () => {
  let caseNo: string
  beforeAll(async () => { caseNo = (await intake([ID_CARD])).body.caseNo })

  it('gives the clerk of the department what the printed receipt shows, with the ID number masked', async () => {
    const res = await clerk.get<CaseReceipt>(`/api/cases/${caseNo}/receipt`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      caseNo, channel: 'counter', status: 'submitted', serviceName: '社会保障卡申领',
      department: { code: 'SZRS', name: '深圳市人力资源和社会保障局' },
      applicant: { name: PERSON.name, idNumberMasked: `${PERSON.idNumber.slice(0, 6)}********${PERSON.idNumber.slice(-4)}` },
      location: expect.stringContaining('社会保险窗口'),
      receivedBy: expect.any(String),
      paperMaterials: [{ name: ID_CARD, materialType: 'original', copies: 1 }],
      scans: [],
      trackUrl: `${t.url}/track`,
    })
    expect(res.body.acceptanceDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(JSON.stringify(res.body)).not.toContain(PERSON.idNumber)
  })

  it('lets a manager read it, and nobody else: another department\'s clerk finds nothing, the applicant and the signed-out are refused', async () => {
    expect((await manager.get(`/api/cases/${caseNo}/receipt`)).status).toBe(200)
    expect((await clerk2.get(`/api/cases/${caseNo}/receipt`)).status).toBe(404)
    expect((await citizen.get(`/api/cases/${caseNo}/receipt`)).status).toBe(403)
    expect((await new Client(t.url).get(`/api/cases/${caseNo}/receipt`)).status).toBe(401)
    expect((await clerk.get('/api/cases/SZ20260101999999/receipt')).status).toBe(404)
  })

  it('records each opening by staff in the audit log, as a read of the case', async () => {
    const before = receiptReads(caseNo).length
    await clerk.get(`/api/cases/${caseNo}/receipt`)
    await manager.get(`/api/cases/${caseNo}/receipt`)
    const reads = receiptReads(caseNo).slice(before)
    expect(reads.map(r => [r.actorRole, JSON.parse(r.detail)])).toEqual([['clerk', { view: 'receipt' }], ['manager', { view: 'receipt' }]])
  })
})

describe('the written documents of a counter case, which the clerk prints for the applicant', () => {
  it('gives the one-time notice with its items, audits each opening by staff, and finds nothing for a malformed id', async () => {
    const made = await intake([PHOTO])
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const caseNo = made.body.caseNo
    const { version } = (await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)).body
    const returned = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'return', version, comment: '请携带身份证原件', supplement: { fields: [], materials: [ID_CARD] } })
    expect(returned.status, JSON.stringify(returned.body)).toBe(200)
    const event = (await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)).body.events.find(e => e.document === 'corrections')!
    const before = receiptReads(caseNo).length
    const doc = await clerk.get<CaseDocument>(`/api/cases/${caseNo}/documents/${event.id}`)
    expect(doc.status).toBe(200)
    expect(doc.body).toMatchObject({ kind: 'corrections', number: `${caseNo}-01`, reason: '请携带身份证原件', items: { materials: [ID_CARD], atCounter: [ID_CARD] }, channel: 'counter' })
    expect(JSON.stringify(doc.body)).not.toContain(PERSON.idNumber)
    expect(receiptReads(caseNo).slice(before).map(r => [r.actorRole, JSON.parse(r.detail)])).toEqual([['clerk', { view: 'document', document: `${caseNo}-01` }]])
    expect((await clerk2.get(`/api/cases/${caseNo}/documents/${event.id}`)).status).toBe(404)
    // a malformed id names nothing, as a malformed case number
    for (const id of ['abc', '0', '-1', '1.5', '12345678901234567']) expect((await clerk.get(`/api/cases/${caseNo}/documents/${id}`)).status, id).toBe(404)
    expect((await clerk.get(`/api/cases/${caseNo}/documents/${event.id + 100000}`)).status).toBe(404)
  })
})
