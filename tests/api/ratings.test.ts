/**
 * Ratings (好差评) over HTTP with the demo accounts: the applicant rates a completed case once,
 * a bad rating reaches the department as a rectification item, the answer reaches the applicant,
 * a clerk may ask for a rating but never give one, and managers read the statistics.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer()
const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'

/** A case of the citizen for SZRS-0001 (instant, the demo clerk's department), approved unless `approve` is false. */
async function caseOf(citizen: Client, clerk: Client, approve = true): Promise<string> {
  const form = new FormData()
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'declaration.pdf')
  const file = await citizen.post('/api/uploads', form)
  const draft = await citizen.post('/api/applications', {
    serviceCode: 'SZRS-0001',
    answers: { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', joinMedical: 'no', startMonth: '2026-12-01', payMethod: 'online', declarationFlexibleEmploymentFile: [file.body.id] },
  })
  const submitted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
  expect(submitted.status).toBe(201)
  const caseNo: string = submitted.body.caseNo
  if (approve) {
    const seen = await clerk.get(`/api/cases/${caseNo}`)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'approve', version: seen.body.version })).status).toBe(200)
  }
  return caseNo
}

/** Every rectification item a person can list (the demo history has opened many), page by page. */
async function allItems(who: Client, status = 'open'): Promise<{ id: number, caseNo: string, score: number, status: string, department: { code: string } }[]> {
  const items = []
  for (let page = 1; page <= 50; page++) {
    const res = await who.get(`/api/rectifications?status=${status}&page=${page}&pageSize=100`)
    expect(res.status).toBe(200)
    items.push(...res.body.items)
    if (items.length >= res.body.total) break
  }
  return items
}

let citizen: Client, citizen2: Client, clerk: Client, clerk2: Client, manager: Client

beforeAll(async () => {
  ;[citizen, citizen2, clerk, clerk2, manager] = await Promise.all([
    signedIn(server.url, 'citizen'), signedIn(server.url, 'citizen2'), signedIn(server.url, 'clerk'), signedIn(server.url, 'clerk2'), signedIn(server.url, 'manager'),
  ])
})

describe('the applicant rates a completed case', () => {
  it('not before completion; not someone else\'s case; never a clerk or manager', async () => {
    const pending = await caseOf(citizen, clerk, false)
    expect((await citizen.post(`/api/cases/${pending}/rating`, { score: 5 })).status).toBe(409)
    const done = await caseOf(citizen, clerk)
    expect((await citizen2.post(`/api/cases/${done}/rating`, { score: 1 })).status).toBe(404)
    expect((await clerk.post(`/api/cases/${done}/rating`, { score: 5 })).status).toBe(403)
    expect((await manager.post(`/api/cases/${done}/rating`, { score: 5 })).status).toBe(403)
    expect((await new Client(server.url).post(`/api/cases/${done}/rating`, { score: 5 })).status).toBe(401)
    expect((await citizen.post(`/api/cases/${done}/rating`, { score: 5 }, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await citizen.post('/api/cases/SZ20990101000001/rating', { score: 5 })).status).toBe(404)
    expect((await citizen.post('/api/cases/not-a-case/rating', { score: 5 })).status).toBe(404)
    expect((await citizen.get(`/api/cases/${done}/rating`)).body).toMatchObject({ canRate: true, rating: null })
  })

  it.each([
    [{ score: 6 }, 'score'],
    [{ score: 0 }, 'score'],
    [{ score: '5' }, 'score'],
    [{ score: 4.5 }, 'score'],
    [{}, 'score'],
    [{ score: 4, comment: 'x'.repeat(501) }, 'comment'],
    [{ score: 4, comment: 7 }, 'comment'],
    [{ score: 4, indicators: { efficiency: 9 } }, 'indicators.efficiency'],
    [{ score: 4, indicators: { shoeSize: 3 } }, 'indicators.shoeSize'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const done = await caseOf(citizen, clerk)
    const res = await citizen.post(`/api/cases/${done}/rating`, body)
    expect(res.status).toBe(400)
    expect(Object.keys(res.body.data.fieldErrors)).toContain(field)
  })

  it('refuses a body that is not JSON', async () => {
    const done = await caseOf(citizen, clerk)
    expect((await citizen.post(`/api/cases/${done}/rating`, 'score=5', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
  })

  it('rates once with the indicators; a second rating is a 409', async () => {
    const done = await caseOf(citizen, clerk)
    const indicators = { satisfaction: 5, efficiency: 5, guideAccuracy: 4, convenience: 5, easeOfUse: 4 }
    const res = await citizen.post(`/api/cases/${done}/rating`, { score: 5, comment: '办理很快', indicators })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ canRate: false, rating: { score: 5, comment: '办理很快', indicators }, rectification: null })
    expect((await citizen.post(`/api/cases/${done}/rating`, { score: 1 })).status).toBe(409)
    expect((await clerk.get(`/api/cases/${done}/rating`)).body.rating.score).toBe(5)
    // the contract's `comment?` sent as null, as many JSON clients write an absent value
    const another = await caseOf(citizen, clerk)
    const noComment = await citizen.post(`/api/cases/${another}/rating`, { score: 4, comment: null })
    expect(noComment.status).toBe(201)
    expect(noComment.body.rating).toMatchObject({ score: 4, comment: null })
    expect((await manager.get(`/api/cases/${done}/rating`)).status).toBe(200)
    expect((await citizen2.get(`/api/cases/${done}/rating`)).status).toBe(404)
    expect((await clerk2.get(`/api/cases/${done}/rating`)).status).toBe(404)
  })
})

describe('a bad rating reaches the department', () => {
  let caseNo: string
  let id: number

  beforeAll(async () => {
    caseNo = await caseOf(citizen, clerk)
    const res = await citizen.post(`/api/cases/${caseNo}/rating`, { score: 1, comment: '材料要求说明不清楚' })
    expect(res.status).toBe(201)
    id = res.body.rectification.id
    expect(res.body.rectification).toMatchObject({ status: 'open', deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
  })

  it('as a rectification item with its deadline, for that department and managers only', async () => {
    const mine = await allItems(clerk)
    expect(mine).toContainEqual(expect.objectContaining({ id, caseNo, score: 1, status: 'open', department: expect.objectContaining({ code: 'SZRS' }) }))
    expect(mine.every(i => i.department.code === 'SZRS')).toBe(true)
    expect((await allItems(clerk2)).some(i => i.id === id)).toBe(false)
    expect((await allItems(manager)).some(i => i.id === id)).toBe(true)
    expect((await citizen.get('/api/rectifications')).status).toBe(403)
    expect((await clerk.get('/api/rectifications?status=closed')).status).toBe(400)
    expect((await clerk.get('/api/rectifications?pageSize=1000')).status).toBe(400)
  })

  it('the department answers once and the applicant reads the answer', async () => {
    expect((await clerk2.post(`/api/rectifications/${id}/answer`, { answer: '答复' })).status).toBe(404)
    expect((await clerk.post(`/api/rectifications/${id}/answer`, { answer: '' })).body.data.fieldErrors).toEqual({ answer: 'validation.required' })
    expect((await clerk.post(`/api/rectifications/${id}/answer`, { answer: 'x'.repeat(2001) })).status).toBe(400)
    expect((await clerk.post('/api/rectifications/999999/answer', { answer: '答复' })).status).toBe(404)
    expect((await clerk.post('/api/rectifications/abc/answer', { answer: '答复' })).status).toBe(404)
    expect((await manager.post(`/api/rectifications/${id}/answer`, { answer: '答复' })).status).toBe(403)
    const res = await clerk.post(`/api/rectifications/${id}/answer`, { answer: '已更新办事指南中的材料说明，感谢您的反馈。' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'answered', overdue: false })
    expect((await clerk.post(`/api/rectifications/${id}/answer`, { answer: '再次' })).status).toBe(409)
    const seen = await citizen.get(`/api/cases/${caseNo}/rating`)
    expect(seen.body.rectification).toMatchObject({ status: 'answered', answer: '已更新办事指南中的材料说明，感谢您的反馈。' })
  })
})

describe('ID and mobile numbers in a rating\'s comment', () => {
  const COMMENT = '等了很久，我的身份证号 440301198506154332，手机 13912345678'
  const MASKED = '等了很久，我的身份证号 440301********4332，手机 139****5678'

  it('reach the department and managers masked, on the rectification list and the case; the applicant reads them as written', async () => {
    const caseNo = await caseOf(citizen, clerk)
    const rated = await citizen.post(`/api/cases/${caseNo}/rating`, { score: 2, comment: COMMENT })
    expect(rated.status).toBe(201)
    expect(rated.body.rating.comment).toBe(COMMENT)
    expect((await citizen.get(`/api/cases/${caseNo}/rating`)).body.rating.comment).toBe(COMMENT)
    for (const staff of [clerk, manager]) {
      const item = (await allItems(staff)).find(i => i.caseNo === caseNo) as { comment?: string } | undefined
      expect(item?.comment).toBe(MASKED)
      const onCase = await staff.get(`/api/cases/${caseNo}/rating`)
      expect(onCase.status).toBe(200)
      expect(onCase.body.rating.comment).toBe(MASKED)
      expect(JSON.stringify(onCase.body)).not.toContain('198506154332')
    }
  })
})

describe('a clerk asks for a rating', () => {
  it('once per completed case of the department, never for another department', async () => {
    const done = await caseOf(citizen, clerk)
    expect((await clerk2.post(`/api/cases/${done}/rating-prompt`)).status).toBe(404)
    expect((await citizen.post(`/api/cases/${done}/rating-prompt`)).status).toBe(403)
    const res = await clerk.post(`/api/cases/${done}/rating-prompt`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ caseNo: done, promptedAt: expect.any(String) })
    expect((await clerk.post(`/api/cases/${done}/rating-prompt`)).status).toBe(409)
    expect((await citizen.get(`/api/cases/${done}/rating`)).body.promptedAt).toBe(res.body.promptedAt)
    const messages = await citizen.get('/api/me/messages')
    expect(JSON.stringify(messages.body)).toContain('ratingPrompt')
    const pending = await caseOf(citizen, clerk, false)
    expect((await clerk.post(`/api/cases/${pending}/rating-prompt`)).status).toBe(409)
  })
})

describe('satisfaction statistics', () => {
  it('managers see every department; a clerk their own; citizens nothing', async () => {
    const res = await manager.get('/api/reports/satisfaction')
    expect(res.status).toBe(200)
    expect(res.body.overall.count).toBeGreaterThanOrEqual(2)
    const szrs = res.body.byDepartment.find((d: { code: string }) => d.code === 'SZRS')
    expect(szrs).toMatchObject({ count: expect.any(Number), averageScore: expect.any(Number), badShare: expect.any(Number) })
    expect(res.body.byService).toContainEqual(expect.objectContaining({ code: 'SZRS-0001' }))
    const own = await clerk.get('/api/reports/satisfaction')
    expect(own.body.department).toBe('SZRS')
    expect(own.body.byDepartment.map((d: { code: string }) => d.code)).toEqual(['SZRS'])
    // another department's figures: refused as in the online-rate report, not hidden
    expect((await clerk.get('/api/reports/satisfaction?dept=SZGA')).status).toBe(403)
    expect((await citizen.get('/api/reports/satisfaction')).status).toBe(403)
  })

  it('answers a well-formed code of no department with a 400 naming the field, as the online-rate report does', async () => {
    for (const report of ['satisfaction', 'online-rate']) {
      const res = await manager.get(`/api/reports/${report}?dept=NOPE`)
      expect(res.status, report).toBe(400)
      expect(res.body.data.fieldErrors, report).toEqual({ dept: 'report.errors.dept' })
    }
    // for a clerk too: no such department is a bad query before it is someone else's
    expect((await clerk.get('/api/reports/satisfaction?dept=NOPE')).status).toBe(400)
  })

  it.each(['from=2026-13-01', 'from=yesterday', 'from=2026-06-01&to=2026-01-01', 'dept=a%20b', 'from=2026-01-01&from=2026-02-01'])('answers the malformed query %s with a 400', async (qs) => {
    expect((await manager.get(`/api/reports/satisfaction?${qs}`)).status).toBe(400)
  })
})
