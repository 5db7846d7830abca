/**
 * Cases over HTTP with the demo accounts: a clerk records applications at the counter, works
 * them, and the people concerned (and nobody else) follow them.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { useTestServer } from '../support/server'
import type { CaseDetail } from '../../shared/types/case'

const server = useTestServer()
const CITIZEN = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const CITIZEN2 = { name: '李慧芳', idNumber: '44030419881115002X', mobile: '13912345678' }

let clerk: Client
let clerk2: Client
let citizen: Client
let citizen2: Client
let manager: Client

async function counterCase(applicant = CITIZEN, serviceCode = 'SZRS-0004', answers: Record<string, unknown> = { cardBank: 'icbc', collectWay: 'branch' }): Promise<string> {
  const res = await clerk.post('/api/counter-cases', { serviceCode, applicant, answers })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.caseNo
}

const versionOf = async (caseNo: string) => (await clerk.get(`/api/cases/${caseNo}`)).body.version as number

function auditRows(action: string): { subject: string, actorRole: string }[] {
  const db = new Database(join(server.server.dataDir, 'portal.db'), { readonly: true })
  try {
    return db.prepare('SELECT subject, actor_role AS actorRole FROM audit_log WHERE action = ?').all(action) as { subject: string, actorRole: string }[]
  }
  finally { db.close() }
}

beforeAll(async () => {
  clerk = await signedIn(server.url, 'clerk')
  clerk2 = await signedIn(server.url, 'clerk2')
  citizen = await signedIn(server.url, 'citizen')
  citizen2 = await signedIn(server.url, 'citizen2')
  manager = await signedIn(server.url, 'manager')
})

describe('a clerk at the counter', () => {
  it('records an application made in person with channel counter', async () => {
    const res = await clerk.post('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: { cardBank: 'icbc', collectWay: 'branch' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ caseNo: expect.stringMatching(/^SZ\d{14}$/), channel: 'counter' })
    const kase = await clerk.get(`/api/cases/${res.body.caseNo}`)
    expect(kase.body.channel).toBe('counter')
    expect(kase.body.status).toBe('submitted')
    expect(kase.body.allowedActions).toEqual(['accept', 'return', 'refuse'])
  })

  it('is told exactly what is wrong with the input', async () => {
    const bad = await clerk.post('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: { name: '', idNumber: '440305199003072310', mobile: '123' }, answers: {} })
    expect(bad.status).toBe(400)
    // one answer lists every error: the applicant block's and the answers' together
    expect(Object.keys(bad.body.data.fieldErrors).sort()).toEqual(['applicant.idNumber', 'applicant.mobile', 'applicant.name', 'cardBank', 'collectWay'])
    const answers = await clerk.post('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: { cardBank: 'nobank', unknown: 'x' } })
    expect(answers.status).toBe(400)
    expect(answers.body.data.fieldErrors).toMatchObject({ cardBank: 'validation.option', unknown: 'validation.unknownField', collectWay: 'validation.required' })
    const types = await clerk.post('/api/counter-cases', { serviceCode: 42, applicant: 'me', answers: [] })
    expect(types.status).toBe(400)
  })

  it('cannot record an item of another department, and other roles cannot record at all', async () => {
    const foreign = await clerk.post('/api/counter-cases', { serviceCode: 'SZGA-0001', applicant: CITIZEN, answers: {} })
    expect(foreign.status).toBe(400)
    expect(foreign.body.data.fieldErrors).toEqual({ serviceCode: 'case.errors.serviceNotYours' })
    expect((await citizen.post('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: {} })).status).toBe(403)
    expect((await new Client(server.url).post('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: {} })).status).toBe(401)
  })

  it('gets the same case back when it sends an intake again with its Idempotency-Key, and is told when the details changed', async () => {
    const key = { 'idempotency-key': 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }
    const body = { serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: { cardBank: 'ccb', collectWay: 'branch' } }
    const first = await clerk.post('/api/counter-cases', body, key)
    expect(first.status).toBe(201)
    const queueTotal = async () => (await clerk.get('/api/cases?status=submitted')).body.total as number
    const before = await queueTotal()
    const again = await clerk.post('/api/counter-cases', body, key)
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
    const changed = await clerk.post('/api/counter-cases', { ...body, answers: { cardBank: 'abc', collectWay: 'branch' } }, key)
    expect(changed.status).toBe(409)
    expect(changed.body.data).toEqual({ fieldErrors: { serviceCode: 'case.errors.intakeAlreadyRecorded' }, caseNo: first.body.caseNo })
    const malformed = await clerk.post('/api/counter-cases', body, { 'idempotency-key': 'short' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.data.fieldErrors).toEqual({ idempotencyKey: 'validation.idempotencyKey' })
    // neither the repeat nor the refused changes made a case
    expect(await queueTotal()).toBe(before)
  })

  it('is refused a write from a foreign origin', async () => {
    const res = await clerk.post('/api/counter-cases', { serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: {} }, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
  })
})

describe('who sees a case', () => {
  let caseNo: string
  beforeAll(async () => { caseNo = await counterCase() })

  it('shows it to its department, its applicant and managers, masked', async () => {
    for (const who of [clerk, citizen, manager]) {
      const res = await who.get(`/api/cases/${caseNo}`)
      expect(res.status).toBe(200)
      expect(res.body.applicant).toEqual({ name: CITIZEN.name, idNumberMasked: '440305********2319', mobileMasked: '138****8000' })
      expect(JSON.stringify(res.body)).not.toContain(CITIZEN.idNumber)
      expect(JSON.stringify(res.body)).not.toContain(CITIZEN.mobile)
      expect(res.body.form.fields.length).toBeGreaterThan(3)
    }
    expect((await citizen.get(`/api/cases/${caseNo}`)).body.allowedActions).toEqual(['withdraw'])
    expect((await manager.get(`/api/cases/${caseNo}`)).body.allowedActions).toEqual([])
  })

  it('answers 404 to a clerk of another department and to another citizen', async () => {
    expect((await clerk2.get(`/api/cases/${caseNo}`)).status).toBe(404)
    expect((await citizen2.get(`/api/cases/${caseNo}`)).status).toBe(404)
    expect((await clerk2.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })).status).toBe(404)
    expect((await citizen2.post(`/api/cases/${caseNo}/transitions`, { action: 'withdraw', version: 1 })).status).toBe(404)
    expect((await clerk.get('/api/cases/SZ20990101000001')).status).toBe(404)
    expect((await clerk.get('/api/cases/not-a-case')).status).toBe(404)
    expect((await new Client(server.url).get(`/api/cases/${caseNo}`)).status).toBe(401)
  })

  it('lists the department queue by deadline with counts, and a citizen\'s own cases', async () => {
    const queue = await clerk.get('/api/cases?status=submitted&pageSize=100')
    expect(queue.status).toBe(200)
    expect(queue.body.items.map((i: { caseNo: string }) => i.caseNo)).toContain(caseNo)
    const deadlines = queue.body.items.map((i: { deadline: string }) => i.deadline)
    expect(deadlines).toEqual([...deadlines].sort())
    expect(queue.body.counts.submitted).toBeGreaterThanOrEqual(1)
    expect(queue.body.items[0]).toMatchObject({ serviceCode: expect.any(String), serviceName: expect.any(String), channel: 'counter', deadlineStatus: expect.stringMatching(/^(ok|near|overdue)$/), overdue: expect.any(Boolean) })
    const prefix = await clerk.get(`/api/cases?q=${caseNo.slice(0, 10)}`)
    expect(prefix.body.items.every((i: { caseNo: string }) => i.caseNo.startsWith(caseNo.slice(0, 10)))).toBe(true)
    expect((await clerk2.get('/api/cases?pageSize=100')).body.items.map((i: { caseNo: string }) => i.caseNo)).not.toContain(caseNo)
    const own = await citizen.get('/api/cases')
    expect(own.body.items.map((i: { caseNo: string }) => i.caseNo)).toContain(caseNo)
    expect((await citizen2.get('/api/cases')).body.items.map((i: { caseNo: string }) => i.caseNo)).not.toContain(caseNo)
  })

  it('lists no case for the contract\'s draft status (a draft is an application), nor for an administrator or auditor', async () => {
    expect((await clerk.get('/api/cases?status=draft')).body).toMatchObject({ items: [], total: 0 })
    expect((await citizen.get('/api/cases?status=draft')).body).toMatchObject({ items: [], total: 0 })
    for (const who of ['admin', 'auditor']) {
      const res = await (await signedIn(server.url, who)).get('/api/cases')
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ items: [], total: 0 })
    }
  })

  it.each(['status=nope', 'page=0', 'pageSize=101', 'q=%25', 'q=SZ-1', 'status=open&status=submitted'])('answers 400 to the malformed query %s', async (qs) => {
    expect((await clerk.get(`/api/cases?${qs}`)).status).toBe(400)
  })
})

describe('working a case', () => {
  it('goes through accept, suspend, resume and approve, with 409 for a stale version', async () => {
    const caseNo = await counterCase()
    const accepted = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })
    expect(accepted.status).toBe(200)
    expect(accepted.body.status).toBe('accepted')
    expect(accepted.body.version).toBe(2)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'approve', version: 1 })).status).toBe(409)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 2 })).status).toBe(409)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'suspend', comment: '现场核查', version: 2 })).body.status).toBe('suspended')
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'resume', version: 3 })).body.status).toBe('accepted')
    const approved = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'approve', version: 4 })
    expect(approved.status).toBe(200)
    expect(approved.body.result).toEqual({ code: expect.any(String) })
    expect(approved.body.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'accept', 'suspend', 'resume', 'approve'])
  })

  it('needs a reason to return, refuse or reject, and the applicant resubmits only the listed answers', async () => {
    const caseNo = await counterCase()
    const noReason = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'return', version: 1 })
    expect(noReason.status).toBe(400)
    expect(noReason.body.data.fieldErrors).toEqual({ comment: 'validation.required' })
    const returned = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'return', comment: '请更正领卡银行', version: 1, supplement: { fields: ['cardBank'], materials: [] } })
    expect(returned.status).toBe(200)
    // and the last day to correct: ten working days on, whatever today is
    expect(returned.body.supplementNotice).toEqual({ fields: ['cardBank'], materials: [], comment: '请更正领卡银行', due: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    const mine = await citizen.get(`/api/cases/${caseNo}`)
    expect(mine.body.allowedActions).toEqual(['resubmit', 'withdraw'])
    const notListed = await citizen.post(`/api/cases/${caseNo}/transitions`, { action: 'resubmit', version: 2, answers: { collectWay: 'mail' } })
    expect(notListed.status).toBe(400)
    expect(notListed.body.data.fieldErrors).toEqual({ collectWay: 'case.errors.notListed' })
    const resubmitted = await citizen.post(`/api/cases/${caseNo}/transitions`, { action: 'resubmit', version: 2, answers: { cardBank: 'ccb' } })
    expect(resubmitted.status).toBe(200)
    expect(resubmitted.body).toMatchObject({ caseNo, status: 'submitted', answers: { cardBank: 'ccb' } })
    const refused = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'refuse', comment: '', version: 3 })
    expect(refused.status).toBe(400)
  })

  it.each([
    [{ action: 'fly', version: 1 }],
    [{ action: 'accept' }],
    [{ action: 'accept', version: '1' }],
    [{ action: 'accept', version: 1, comment: 'x'.repeat(1001) }],
    [{ action: 'accept', version: 1, extra: true }],
    [{ action: 'accept', version: 1, answers: { cardBank: 'ccb' } }],
    [{ action: 'accept', version: 1, supplement: { fields: ['cardBank'] } }],
    [{ action: 'accept', version: 1, days: 5 }],
    [{ action: 'accept', version: 1, days: '5' }],
    [{ action: 'return', comment: '请补正', version: 1, supplement: { fields: [], materials: [], days: '10' } }],
    [{ action: 'return', comment: '请补正', version: 1, supplement: { fields: [], materials: [], days: 61 } }],
  ])('answers 400 to the malformed body %j', async (body) => {
    const caseNo = await counterCase()
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, body)).status).toBe(400)
  })

  it('extends an accepted case\'s time limit once, by the head of the department, for a reason the applicant reads with the new deadline (延期)', async () => {
    const head = await signedIn(server.url, 'head')
    expect((await head.get('/api/auth/me')).body).toMatchObject({ username: 'head', departmentHead: true })
    expect((await clerk.get('/api/auth/me')).body).toMatchObject({ departmentHead: false })
    const caseNo = await counterCase()
    const accepted = await clerk.post<CaseDetail>(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 })
    expect(accepted.body.allowedActions).toEqual(['return', 'approve', 'reject', 'suspend'])
    // a clerk asks; the head extends (行政许可法 第四十二条)
    expect(accepted.body.extraActions).toEqual([])
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'extend', comment: '需组织专家评审', days: 5, version: 2 })).status).toBe(409)
    expect((await head.get<CaseDetail>(`/api/cases/${caseNo}`)).body.extraActions).toEqual(['extend'])
    const days = await head.post(`/api/cases/${caseNo}/transitions`, { action: 'extend', comment: '需组织专家评审', days: 11, version: 2 })
    expect(days.status).toBe(400)
    expect(days.body.data.fieldErrors).toEqual({ days: 'case.errors.extensionDays' })
    // the approver is whoever extends it, never a name typed
    const typed = await head.post(`/api/cases/${caseNo}/transitions`, { action: 'extend', approvedBy: '王某某（副局长）', comment: '需组织专家评审', days: 10, version: 2 })
    expect(typed.status).toBe(400)
    expect(typed.body.data.fieldErrors).toEqual({ approvedBy: 'validation.unknownField' })
    const extended = await head.post<CaseDetail>(`/api/cases/${caseNo}/transitions`, { action: 'extend', comment: '需组织专家评审', days: 10, version: 2 })
    expect(extended.status).toBe(200)
    expect(extended.body).toMatchObject({ status: 'accepted', version: 3, extendedDays: 10 })
    expect(extended.body.deadline > accepted.body.deadline).toBe(true)
    expect(extended.body.extraActions).toEqual([])
    expect((await head.post(`/api/cases/${caseNo}/transitions`, { action: 'extend', comment: '再延期', days: 1, version: 3 })).status).toBe(409)
    const mine = await citizen.get<CaseDetail>(`/api/cases/${caseNo}`)
    expect(mine.body).toMatchObject({ deadline: extended.body.deadline, extendedDays: 10, extension: null })
    expect(mine.body.events.at(-1)).toMatchObject({ action: 'extend', comment: '需组织专家评审' })
    // who approved it (第四十二条) is the department's record, shown to its staff
    expect(mine.body.events.at(-1)).not.toHaveProperty('approvedBy')
    expect(extended.body.events.at(-1)).toMatchObject({ action: 'extend', approvedBy: '赵志刚' })
    expect(auditRows('case.extend')).toContainEqual({ subject: caseNo, actorRole: 'clerk' })
  })

  it('takes a clerk\'s request to extend to the head, who approves one and declines another with a reason (延期申请)', async () => {
    const head = await signedIn(server.url, 'head')
    const approvedCase = await counterCase()
    const declinedCase = await counterCase()
    for (const no of [approvedCase, declinedCase]) expect((await clerk.post(`/api/cases/${no}/transitions`, { action: 'accept', version: 1 })).status).toBe(200)
    // bad input, each at its field; nothing is asked
    const bad = await clerk.post(`/api/cases/${approvedCase}/extension-request`, { days: 12, comment: '需组织专家评审', version: 2 })
    expect([bad.status, bad.body.data.fieldErrors]).toEqual([400, { days: 'case.errors.extensionDays' }])
    const noReason = await clerk.post(`/api/cases/${approvedCase}/extension-request`, { days: 5, comment: '', version: 2 })
    expect([noReason.status, noReason.body.data.fieldErrors]).toEqual([400, { comment: 'validation.required' }])
    expect((await clerk.post(`/api/cases/${approvedCase}/extension-request`, { days: '5', comment: '需组织专家评审', version: 2 })).status).toBe(400)
    expect((await head.post(`/api/cases/${approvedCase}/extension-request`, { days: 5, comment: '需组织专家评审', version: 2 })).status).toBe(409)
    expect((await clerk2.post(`/api/cases/${approvedCase}/extension-request`, { days: 5, comment: '需组织专家评审', version: 2 })).status).toBe(404)

    const asked = await clerk.post<CaseDetail>(`/api/cases/${approvedCase}/extension-request`, { days: 5, comment: '需组织专家评审', version: 2 })
    expect(asked.status).toBe(200)
    expect(asked.body.extension).toMatchObject({ open: { days: 5, reason: '需组织专家评审', requestedBy: '王建国' }, canRequest: false, canDecide: false })
    expect((await clerk.post(`/api/cases/${approvedCase}/extension-request`, { days: 3, comment: '再申请', version: 2 })).status).toBe(409)
    await clerk.post(`/api/cases/${declinedCase}/extension-request`, { days: 2, comment: '需补充检测', version: 2 })

    expect((await clerk.get('/api/extension-requests')).status).toBe(403)
    const pending = await head.get<{ items: { id: number, caseNo: string, days: number }[] }>('/api/extension-requests')
    expect(pending.body.items.map(i => [i.caseNo, i.days])).toEqual(expect.arrayContaining([[approvedCase, 5], [declinedCase, 2]]))
    const requestOf = (no: string) => pending.body.items.find(i => i.caseNo === no)!.id

    // only the head decides
    expect((await clerk.post(`/api/cases/${approvedCase}/extension-decision`, { request: requestOf(approvedCase), approve: true, version: 2 })).status).toBe(403)
    const approved = await head.post<CaseDetail>(`/api/cases/${approvedCase}/extension-decision`, { request: requestOf(approvedCase), approve: true, version: 2 })
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({ version: 3, extendedDays: 5 })
    expect(approved.body.events.at(-1)).toMatchObject({ action: 'extend', comment: '需组织专家评审', approvedBy: '赵志刚' })
    expect((await head.post(`/api/cases/${approvedCase}/extension-decision`, { request: requestOf(approvedCase), approve: true, version: 3 })).status).toBe(409)

    const unexplained = await head.post(`/api/cases/${declinedCase}/extension-decision`, { request: requestOf(declinedCase), approve: false, version: 2 })
    expect([unexplained.status, unexplained.body.data.fieldErrors]).toEqual([400, { comment: 'validation.required' }])
    expect((await head.post(`/api/cases/${declinedCase}/extension-decision`, { request: requestOf(declinedCase), approve: 'no', version: 2 })).status).toBe(400)
    const declined = await head.post<CaseDetail>(`/api/cases/${declinedCase}/extension-decision`, { request: requestOf(declinedCase), approve: false, comment: '检测可在时限内完成', version: 2 })
    expect(declined.status).toBe(200)
    const clerksView = await clerk.get<CaseDetail>(`/api/cases/${declinedCase}`)
    expect(clerksView.body).toMatchObject({ extendedDays: 0, extension: { open: null, canRequest: true, declined: { declineReason: '检测可在时限内完成', decidedBy: '赵志刚' } } })
    expect(auditRows('case.extension.request').filter(a => [approvedCase, declinedCase].includes(a.subject))).toHaveLength(2)
    expect(auditRows('case.extension.decline')).toContainEqual({ subject: declinedCase, actorRole: 'clerk' })
  })

  it('lets exactly one of two clerks acting at once win; the other gets 409', async () => {
    const caseNo = await counterCase()
    const [a, b] = await Promise.all([
      clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: 1 }),
      clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'refuse', comment: '材料不全', version: 1 }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    expect(await versionOf(caseNo)).toBe(2)
  })
})

describe('the rules of the Administrative Licensing Law the workflow keeps (行政许可法)', () => {
  /** 赵秀英 has no account: the clerk records her resubmissions and withdrawals. */
  const WITHOUT_ACCOUNT = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
  const post = (caseNo: string, body: Record<string, unknown>) => clerk.post<CaseDetail>(`/api/cases/${caseNo}/transitions`, body)

  it('a withdrawal a clerk records needs the applicant\'s request, as a reason is needed', async () => {
    const caseNo = await counterCase(WITHOUT_ACCOUNT)
    expect((await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)).body.allowedActions).toContain('withdraw')
    const bare = await post(caseNo, { action: 'withdraw', version: 1 })
    expect(bare.status).toBe(400)
    expect((bare.body as unknown as { data: { fieldErrors: Record<string, string> } }).data.fieldErrors).toEqual({ comment: 'validation.required' })
    const withdrawn = await post(caseNo, { action: 'withdraw', version: 1, comment: '申请人于窗口书面申请撤回' })
    expect(withdrawn.status).toBe(200)
    expect(withdrawn.body.events.at(-1)).toMatchObject({ action: 'withdraw', actorRole: 'clerk', comment: '申请人于窗口书面申请撤回' })
  })

  it('不予受理 is offered and accepted only while the acceptance period runs; after it, 409, and the case is accepted', async () => {
    const caseNo = await counterCase()
    expect((await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)).body.allowedActions).toEqual(['accept', 'return', 'refuse'])
    // its acceptance deadline a week past
    const db = new Database(join(server.server.dataDir, 'portal.db'))
    try { db.prepare('UPDATE cases SET deadline = ? WHERE case_no = ?').run(new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10), caseNo) }
    finally { db.close() }
    expect((await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)).body.allowedActions).toEqual(['accept', 'return'])
    expect((await post(caseNo, { action: 'refuse', comment: '不属于本部门受理范围', version: 1 })).status).toBe(409)
    expect((await post(caseNo, { action: 'accept', version: 1 })).body.status).toBe('accepted')
  })

  it('a return states the last day to correct; once it has passed, the department records the case as withdrawn (逾期未补正)', async () => {
    const caseNo = await counterCase()
    const returned = await post(caseNo, { action: 'return', comment: '领卡银行有误', version: 1, supplement: { fields: ['cardBank'], materials: [], days: 3 } })
    expect(returned.status).toBe(200)
    const due = returned.body.supplementNotice!.due!
    expect(due > new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(true)
    // the applicant reads the same day, and the department cannot yet record the lapse
    expect((await citizen.get<CaseDetail>(`/api/cases/${caseNo}`)).body.supplementNotice?.due).toBe(due)
    expect(returned.body.extraActions).toEqual([])
    expect((await post(caseNo, { action: 'lapse', version: 2 })).status).toBe(409)
    // its last day a week past
    const db = new Database(join(server.server.dataDir, 'portal.db'))
    try { db.prepare(`UPDATE cases SET supplement_notice = json_set(supplement_notice, '$.due', ?) WHERE case_no = ?`).run(new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10), caseNo) }
    finally { db.close() }
    const lapsed = await clerk.get<CaseDetail>(`/api/cases/${caseNo}`)
    // beside the contract's actions, which stay the contract's
    expect([lapsed.body.allowedActions, lapsed.body.extraActions]).toEqual([[], ['lapse']])
    expect((await citizen.get<CaseDetail>(`/api/cases/${caseNo}`)).body.allowedActions).toEqual(['resubmit', 'withdraw'])
    expect((await citizen.post(`/api/cases/${caseNo}/transitions`, { action: 'lapse', version: 2 })).status).toBe(409)
    expect((await clerk2.post(`/api/cases/${caseNo}/transitions`, { action: 'lapse', version: 2 })).status).toBe(404)
    const withdrawn = await post(caseNo, { action: 'lapse', version: 2 })
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', allowedActions: [], extraActions: [] })
    expect(auditRows('case.lapse')).toEqual([{ subject: caseNo, actorRole: 'clerk' }])
  })

  it('a second notice of corrections before acceptance may ask again, never for a new item (一次性告知)', async () => {
    const caseNo = await counterCase(WITHOUT_ACCOUNT)
    expect((await post(caseNo, { action: 'return', comment: '领卡银行有误', version: 1, supplement: { fields: ['cardBank'], materials: [] } })).status).toBe(200)
    expect((await post(caseNo, { action: 'resubmit', version: 2, answers: { cardBank: 'ccb' } })).status).toBe(200)
    const fresh = await post(caseNo, { action: 'return', comment: '请改为邮寄', version: 3, supplement: { fields: ['collectWay'], materials: [] } })
    expect(fresh.status).toBe(400)
    expect((fresh.body as unknown as { data: { fieldErrors: Record<string, string> } }).data.fieldErrors).toEqual({ 'supplement.fields.0': 'case.errors.oneTimeNotice' })
    expect((await post(caseNo, { action: 'return', comment: '领卡银行仍有误', version: 3, supplement: { fields: ['cardBank'], materials: [] } })).status).toBe(200)
  })
})

describe('the clerk\'s open queue', () => {
  interface QueueItem { caseNo: string, status: string, deadline: string, deadlineStatus: string, overdue: boolean, submittedAt: string }
  const STOPPED = ['supplement', 'suspended']
  const cases = {} as Record<'returned' | 'suspended' | 'running', string>
  const transition = async (caseNo: string, action: string, version: number, comment?: string) =>
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version, comment })).status).toBe(200)
  const openQueue = async (qs = 'pageSize=100') => (await clerk.get(`/api/cases?status=open&${qs}`)).body as { items: QueueItem[], total: number }

  beforeAll(async () => {
    cases.returned = await counterCase()
    await transition(cases.returned, 'return', 1, '请补正身份证明')
    // a month on: its stored deadline is the acceptance deadline of the day it went back (in time,
    // before it), long past
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)
    const db = new Database(join(server.server.dataDir, 'portal.db'))
    try { db.prepare('UPDATE cases SET deadline = ?, suspended_since = ? WHERE case_no = ?').run(daysAgo(30), daysAgo(35), cases.returned) }
    finally { db.close() }
    cases.suspended = await counterCase()
    await transition(cases.suspended, 'accept', 1)
    await transition(cases.suspended, 'suspend', 2, '现场核查')
    cases.running = await counterCase()
  })

  it('lists every running case, soonest deadline first, before the cases waiting on the applicant or suspended', async () => {
    const { items } = await openQueue()
    const running = items.filter(i => !STOPPED.includes(i.status))
    expect(items.map(i => i.caseNo)).toEqual([...running, ...items.filter(i => STOPPED.includes(i.status))].map(i => i.caseNo))
    expect(running.map(i => i.deadline)).toEqual(running.map(i => i.deadline).sort())
    expect(running.map(i => i.caseNo)).toContain(cases.running)
    expect(items.findIndex(i => i.caseNo === cases.returned)).toBeGreaterThan(items.findIndex(i => i.caseNo === cases.running))
  })

  it('flags the waiting and the suspended case paused, not in time or overdue, and still gives the stored deadline', async () => {
    const { items } = await openQueue()
    const returned = items.find(i => i.caseNo === cases.returned)!
    expect(returned).toMatchObject({ status: 'supplement', deadlineStatus: 'paused', overdue: false, deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    expect(items.find(i => i.caseNo === cases.suspended)).toMatchObject({ status: 'suspended', deadlineStatus: 'paused', overdue: false })
    expect(items.find(i => i.caseNo === cases.running)).toMatchObject({ status: 'submitted', deadlineStatus: expect.stringMatching(/^(ok|near)$/) })
    expect((await clerk.get<{ items: QueueItem[] }>('/api/cases?status=supplement')).body.items).toContainEqual(expect.objectContaining({ caseNo: cases.returned, deadlineStatus: 'paused' }))
  })

  it('flags them paused on the case\'s own page too, for the clerk and for the applicant', async () => {
    for (const who of [clerk, citizen]) {
      expect((await who.get<CaseDetail>(`/api/cases/${cases.returned}`)).body).toMatchObject({ status: 'supplement', deadlineStatus: 'paused', overdue: false })
    }
    expect((await clerk.get<CaseDetail>(`/api/cases/${cases.suspended}`)).body).toMatchObject({ status: 'suspended', deadlineStatus: 'paused', overdue: false })
    expect((await clerk.get<CaseDetail>(`/api/cases/${cases.running}`)).body.deadlineStatus).toMatch(/^(ok|near)$/)
  })

  it('pages through the same order, three at a time, with the same total', async () => {
    const whole = await openQueue()
    const paged: QueueItem[] = []
    for (let page = 1; page <= Math.ceil(whole.total / 3); page++) {
      const one = await openQueue(`page=${page}&pageSize=3`)
      expect(one.total).toBe(whole.total)
      paged.push(...one.items)
    }
    expect(paged.map(i => i.caseNo)).toEqual(whole.items.map(i => i.caseNo))
    expect(paged.findIndex(i => i.caseNo === cases.returned)).toBeGreaterThan(paged.findIndex(i => i.caseNo === cases.running))
  })

  it('leaves the applicant\'s own list newest first, the returned case flagged paused there too', async () => {
    const own = (await citizen.get<{ items: QueueItem[] }>('/api/cases?pageSize=100')).body.items
    expect(own.map(i => i.submittedAt)).toEqual(own.map(i => i.submittedAt).sort().reverse())
    expect(own.find(i => i.caseNo === cases.returned)).toMatchObject({ status: 'supplement', deadlineStatus: 'paused', overdue: false })
  })
})

describe('the full ID number on an audited reveal', () => {
  it('shows it to the department\'s clerk and records that', async () => {
    const caseNo = await counterCase()
    const res = await clerk.post(`/api/cases/${caseNo}/reveal`)
    expect(res.status).toBe(200)
    expect(res.body.idNumber).toBe(CITIZEN.idNumber)
    expect(auditRows('pii.reveal')).toContainEqual({ subject: caseNo, actorRole: 'clerk' })
    expect((await clerk2.post(`/api/cases/${caseNo}/reveal`)).status).toBe(404)
    expect((await citizen.post(`/api/cases/${caseNo}/reveal`)).status).toBe(403)
    expect((await manager.post(`/api/cases/${caseNo}/reveal`)).status).toBe(403)
  })
})

describe('public tracking', () => {
  it('shows progress for the right pair, with no personal data, the X in either case', async () => {
    const caseNo = await counterCase(CITIZEN2)
    const anyone = new Client(server.url)
    const res = await anyone.get(`/api/track?caseNo=${caseNo}&idNumber=${CITIZEN2.idNumber.toLowerCase()}`)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['caseNo', 'deadline', 'events', 'serviceName', 'serviceNameEn', 'status'])
    expect(res.body.events).toEqual([{ at: expect.any(String), action: 'submit', to: 'submitted' }])
    const text = JSON.stringify(res.body)
    for (const personal of [CITIZEN2.name, CITIZEN2.idNumber, CITIZEN2.mobile, '440304']) expect(text).not.toContain(personal)
  })

  it('answers 404 to a wrong pair and 400 to malformed input', async () => {
    const caseNo = await counterCase()
    const anyone = new Client(server.url)
    expect((await anyone.get(`/api/track?caseNo=${caseNo}&idNumber=${CITIZEN2.idNumber}`)).status).toBe(404)
    expect((await anyone.get(`/api/track?caseNo=SZ20990101000001&idNumber=${CITIZEN.idNumber}`)).status).toBe(404)
    expect((await anyone.get(`/api/track?caseNo=${caseNo}`)).status).toBe(400)
    expect((await anyone.get(`/api/track?caseNo=abc&idNumber=${CITIZEN.idNumber}`)).status).toBe(400)
  })
})

describe('the deadline calculator', () => {
  it('counts working days on the official calendar', async () => {
    const res = await new Client(server.url).get('/api/calendar/deadline?from=2026-09-30&days=5')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ from: '2026-09-30', days: 5, deadline: '2026-10-13' })
  })

  it.each(['from=2026-09-30&days=0', 'from=2026-09-30&days=366', 'from=2026-09-30&days=1.5', 'from=2026-09-30&days=abc', 'from=2026-02-30&days=5',
    'from=20260930&days=5', 'days=5', 'from=2026-09-30', 'from=2026-09-30&days=5&days=6', 'from=9999-12-31&days=3', 'from=9999-06-01&days=365'])('answers 400 to %s', async (qs) => {
    expect((await new Client(server.url).get(`/api/calendar/deadline?${qs}`)).status).toBe(400)
  })

  it('lets an administrator add a 2027 holiday that moves deadlines', async () => {
    const admin = await signedIn(server.url, 'admin')
    // of 2027 only the holidays the law fixes are known, by date and by the lunar calendar (the Spring
    // Festival from New Year's Eve, Fri 5 Feb, Qingming, Dragon Boat, Mid-Autumn): the page and
    // monitoring say the notice is missing
    const fixedByLaw = ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-05-01', '2027-05-02', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03']
      .map(date => ({ date, kind: 'holiday', note: null, source: 'builtin' }))
    expect((await new Client(server.url).get('/api/calendar/days?year=2027')).body).toEqual({ year: 2027, entered: false, days: fixedByLaw })
    expect((await new Client(server.url).get('/api/calendar/days?year=2026')).body.entered).toBe(true)
    expect((await clerk.put('/api/calendar/days', { add: [{ date: '2027-02-09', kind: 'holiday' }] })).status).toBe(403)
    expect((await admin.put('/api/calendar/days', { add: [{ date: '2027-02-30', kind: 'holiday' }] })).status).toBe(400)
    // a year the calendar page cannot list (3026 for 2026) is refused, not kept out of sight
    const far = await admin.put('/api/calendar/days', { add: [{ date: '3026-10-08', kind: 'holiday' }] })
    expect(far.status).toBe(400)
    expect(far.body.data.fieldErrors).toEqual({ 'add.0.date': 'validation.calendarYear' })
    // one entered before the rule can still be removed
    expect((await admin.put('/api/calendar/days', { remove: ['3026-10-08'] })).status).toBe(200)
    // Thu 4 Feb + 1: the law's four days of the Spring Festival, then Tue 9 Feb
    expect((await new Client(server.url).get('/api/calendar/deadline?from=2027-02-04&days=1')).body.deadline).toBe('2027-02-09')
    const added = await admin.put('/api/calendar/days', { add: [{ date: '2027-02-09', kind: 'holiday', note: '春节' }] })
    expect(added.status).toBe(200)
    expect(added.body).toMatchObject({ added: 1, removed: 0, deadlinesMoved: expect.any(Number) })
    expect((await new Client(server.url).get('/api/calendar/deadline?from=2027-02-04&days=1')).body.deadline).toBe('2027-02-10')
    // one day is not the State Council's notice: monitoring still says the year is missing
    const days2027 = (await new Client(server.url).get('/api/calendar/days?year=2027')).body
    expect(days2027.entered).toBe(false)
    expect(days2027.days).toContainEqual({ date: '2027-02-09', kind: 'holiday', note: '春节', source: 'admin' })
    // the notice's break: eight days, to Fri 12 Feb
    const rest = ['2027-02-10', '2027-02-11', '2027-02-12'].map(date => ({ date, kind: 'holiday' }))
    expect((await admin.put('/api/calendar/days', { add: rest })).status).toBe(200)
    expect((await new Client(server.url).get('/api/calendar/days?year=2027')).body.entered).toBe(true)
    // the far year's removal, and the two additions
    expect(auditRows('calendar.update')).toHaveLength(3)
  })
})

describe('messages and supervision', () => {
  it('tells the applicant in-app, and only they can mark it read', async () => {
    await counterCase()
    const list = await citizen.get('/api/me/messages')
    expect(list.status).toBe(200)
    expect(list.body.unread).toBeGreaterThan(0)
    const first = list.body.items[0]
    expect(first).toMatchObject({ kind: expect.any(String), caseNo: expect.stringMatching(/^SZ/), readAt: null })
    expect((await citizen2.post(`/api/me/messages/${first.id}/read`)).status).toBe(404)
    const read = await citizen.post(`/api/me/messages/${first.id}/read`)
    expect(read.status).toBe(200)
    expect(read.body.readAt).toEqual(expect.any(String))
  })

  it('marks all of one\'s unread messages read at once, and nobody else\'s', async () => {
    await counterCase()
    await counterCase()
    const unreadOf = async (who: Client) => (await who.get<{ unread: number }>('/api/me/messages')).body.unread
    const before = await unreadOf(citizen)
    expect(before).toBeGreaterThan(1)
    const others = await unreadOf(citizen2)
    // the count the navigation shows beside 我的消息 is the same
    const unreadInNav = async (who: Client) => (await who.get<{ unreadMessages: number }>('/api/auth/me')).body.unreadMessages
    expect(await unreadInNav(citizen)).toBe(before)
    const res = await citizen.post('/api/me/messages/read-all')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ marked: before })
    expect(await unreadOf(citizen)).toBe(0)
    expect(await unreadInNav(citizen)).toBe(0)
    expect(await unreadOf(citizen2)).toBe(others)
    expect(await unreadInNav(citizen2)).toBe(others)
    // nothing left: nothing marked
    expect((await citizen.post('/api/me/messages/read-all')).body).toEqual({ marked: 0 })
  })

  it('shows managers the supervision view, and nobody else', async () => {
    const res = await manager.get('/api/supervision')
    expect(res.status).toBe(200)
    expect(Array.isArray(res.body.cases)).toBe(true)
    const szrs = res.body.departments.find((d: { code: string }) => d.code === 'SZRS')
    expect(szrs).toMatchObject({ name: expect.any(String), completed: expect.any(Number), completedOnTime: expect.any(Number), completedLate: expect.any(Number), openOverdue: expect.any(Number) })
    expect((await clerk.get('/api/supervision')).status).toBe(403)
    expect((await manager.get('/api/supervision?from=2026-13-01')).status).toBe(400)
  })
})
