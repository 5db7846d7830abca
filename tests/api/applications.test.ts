/**
 * Applying online over HTTP, as the contract describes: drafts that belong to their owner,
 * answers checked field by field, hidden answers dropped, one case per application however often
 * it is submitted, and precise refusals for bad input.
 */
import { describe, expect, it } from 'vitest'
import type { FormDefinition, FormField } from '../../shared/types/catalogue'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { fileForm, samplePdf } from '../support/files'
import { useTestServer } from '../support/server'
import { makeUscc } from '../../shared/utils/uscc'

const server = useTestServer()

async function formOf(client: Client, code: string): Promise<FormDefinition> {
  const res = await client.get(`/api/services/${code}`)
  return res.body.form as FormDefinition
}

const EMPLOYER = { name: '深圳市某某科技有限公司', uscc: '9144030071526726XG' }
let employer: number | undefined
/** Items for organisations are applied for on behalf of one: the demo citizen's, registered once. */
async function applyingAs(client: Client, code: string): Promise<{ organizationId?: number }> {
  if ((await client.get(`/api/services/${code}`)).body.audience !== 'organization') return {}
  employer ??= (await client.post('/api/me/organizations', EMPLOYER)).body.id as number
  return { organizationId: employer }
}

async function uploadPdf(client: Client): Promise<string> {
  const res = await client.post('/api/uploads', fileForm(samplePdf, 'material.pdf'))
  expect(res.status).toBe(201)
  return res.body.id as string
}

/** A right answer for a field (showIf fields get one too: the server drops what is hidden). */
function rightAnswer(f: FormField, file: string): unknown {
  // the organisation's own name and code: an application names the organisation it is made for
  if (f.prefill === 'orgName') return EMPLOYER.name
  // the applicant's own name (the demo citizen's): a person's application names its account holder
  if (f.prefill === 'name') return '张晓明'
  switch (f.type) {
    case 'number': return Math.max(f.min ?? 1, 1)
    case 'date': return '2026-01-15'
    case 'select':
    case 'radio': return f.options![0]!.value
    case 'checkbox': return false
    case 'idNumber': return '440305199003072319'
    case 'uscc': return EMPLOYER.uscc
    case 'mobile': return '13800138000'
    case 'email': return 'zhangxm@example.com'
    case 'bankAccount': return '6222021234567890123'
    case 'file': return [file]
    default: return '深圳市福田区'
  }
}

function completeAnswers(def: FormDefinition, file: string): Record<string, unknown> {
  return Object.fromEntries(def.fields.map(f => [f.key, rightAnswer(f, file)]))
}

describe('a citizen starting an application', () => {
  it('gets a draft with the contract\'s shape and the form version it keeps', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const res = await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: { name: '张晓明' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ serviceCode: 'SZGA-0001', answers: { name: '张晓明' }, status: 'draft', formVersion: 1 })
    expect(res.body.id).toEqual(expect.any(String))
    expect(res.body.updatedAt).toEqual(expect.any(String))
    const again = await citizen.get(`/api/applications/${res.body.id}`)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: res.body.id, answers: { name: '张晓明' }, status: 'draft' })
    expect(again.headers.get('cache-control')).toContain('no-store')
  })

  it('is told 404 for an unknown item or one without an online form, 400 for a malformed code', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    expect((await citizen.post('/api/applications', { serviceCode: 'NOPE-0001', answers: {} })).status).toBe(404)
    expect((await citizen.post('/api/applications', { serviceCode: 'SZGA-0003', answers: {} })).status).toBe(404)
    const bad = await citizen.post('/api/applications', { serviceCode: '../x', answers: {} })
    expect(bad.status).toBe(400)
    expect(bad.body.data.fieldErrors.serviceCode).toBe('validation.serviceCode')
    expect((await citizen.post('/api/applications', { serviceCode: '', answers: {} })).body.data.fieldErrors.serviceCode).toBe('validation.required')
    expect((await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: [] })).status).toBe(400)
    expect((await citizen.post('/api/applications', { serviceCode: 42 })).status).toBe(400)
  })

  it('has an answer to a question the form does not ask refused', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const res = await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: { name: '张晓明', shoeSize: 42 } })
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ shoeSize: 'validation.unknownField' })
  })

  it('gets the form prefilled from the profile', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const res = await citizen.get('/api/applications/prefill?serviceCode=SZGA-0001')
    expect(res.status).toBe(200)
    expect(res.body.answers).toEqual({ name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' })
    // the full numbers shown to their holder: audited, and written by the time the answer came
    const auditor = await signedIn(server.url, 'auditor')
    const audited = await auditor.get<{ items: { action: string, subject: string }[] }>('/api/audit?action=profile.prefill&actor=citizen&pageSize=5')
    expect(audited.body.items[0]).toMatchObject({ action: 'profile.prefill', subject: 'SZGA-0001' })
    // an item without an online form: a plain 404 that says so, not a fault logged as one
    const noForm = await citizen.get('/api/applications/prefill?serviceCode=SZGA-0003')
    expect(noForm.status).toBe(404)
    expect(noForm.body.message).toBe('Not found')
    const logged = server.server.output.split('\n').filter(l => l.includes('"path":"/api/applications/prefill"')).map(l => JSON.parse(l) as { status: number, stack?: unknown })
    const notFoundLines = logged.filter(l => l.status === 404)
    expect(notFoundLines.length).toBeGreaterThan(0)
    expect(notFoundLines.filter(l => 'stack' in l)).toEqual([])
  })

  it('cannot write from another site, in another body type, signed out, or as a clerk', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    expect((await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: {} }, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await citizen.post('/api/applications', 'serviceCode=SZGA-0001', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
    expect((await citizen.post('/api/applications', '{"serviceCode":"SZGA-0001"}', { 'content-type': 'text/plain' })).status).toBe(415)
    const clerk = await signedIn(server.url, 'clerk')
    expect((await clerk.post('/api/applications', { serviceCode: 'SZGA-0001', answers: {} })).status).toBe(403)
    const res = await fetch(`${server.url}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/json', 'origin': server.url }, body: '{}' })
    expect(res.status).toBe(401)
  })
})

/** [item, key, a right answer, a wrong one, the message the wrong one gets on submit] */
const fieldCases: [string, string, unknown, unknown, string][] = [
  ['SZGA-0017', 'orgName', '深圳市某某科技有限公司', '   ', 'validation.required'],
  ['SZGA-0001', 'mailAddress', '深圳市福田区\n深南大道1号', '', 'validation.required'],
  ['SZGA-0017', 'sealCount', 2, 11, 'validation.tooLarge'],
  ['SZGA-0017', 'sealCount', 1, 0, 'validation.tooSmall'],
  ['SZGA-0002', 'lossDate', '2026-02-28', '2026-02-30', 'validation.date'],
  ['SZGA-0001', 'renewReason', 'expired', 'bored', 'validation.option'],
  ['SZGA-0002', 'lossType', 'lost', 'eaten', 'validation.option'],
  ['SZGA-0001', 'idNumber', '440305199003072319', '440305199003072310', 'validation.idNumber.checksum'],
  // the applicant's own ID number (the citizen's), as typed with spaces around it
  ['SZGA-0001', 'idNumber', ' 440305199003072319 ', '4403051990', 'validation.idNumber.format'],
  ['SZGA-0017', 'orgCode', '9144030071526726XG', '9144030071526726XH', 'validation.uscc.checksum'],
  ['SZGA-0017', 'contactMobile', '13912345678', '12800138000', 'validation.mobile'],
  ['SZSF-0002', 'email', 'li@example.com', 'not-an-email', 'validation.email'],
  ['SZGA-0017', 'sealImpressionSpecimenFile', 'UPLOAD', [], 'validation.required'],
  ['SZGA-0017', 'engraverName', '深圳市某某印章有限公司', null, 'validation.required'],
]

describe('an item for organisations', () => {
  it('is applied for on behalf of one of the person\'s organisations, never as oneself', async () => {
    const citizen2 = await signedIn(server.url, 'citizen2')
    const asSelf = await citizen2.post('/api/applications', { serviceCode: 'SZGA-0017', answers: {} })
    expect(asSelf.status).toBe(400)
    expect(asSelf.body.data.fieldErrors).toEqual({ organizationId: 'validation.organizationRequired' })
    const org = await citizen2.post('/api/me/organizations', { name: '深圳市示例贸易有限公司', uscc: '91440300MA51000016' })
    expect(org.status).toBe(201)
    expect((await citizen2.post('/api/applications', { serviceCode: 'SZGA-0017', answers: {}, organizationId: org.body.id })).status).toBe(201)
    const forPeople = await citizen2.post('/api/applications', { serviceCode: 'SZGA-0001', answers: {}, organizationId: org.body.id })
    expect(forPeople.body.data.fieldErrors).toEqual({ organizationId: 'validation.organizationNotAllowed' })
  })

  it('names in its answers the organisation it is made for, which the clerk then sees', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const file = await uploadPdf(citizen)
    const answers = completeAnswers(await formOf(citizen, 'SZGA-0017'), file)
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZGA-0017', answers: { ...answers, orgName: '深圳市另一家贸易有限公司' }, ...await applyingAs(citizen, 'SZGA-0017') })
    const refused = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(refused.status).toBe(400)
    expect(refused.body.data.fieldErrors).toEqual({ orgName: 'validation.notTheOrganization' })
    expect((await citizen.put(`/api/applications/${draft.body.id}`, { answers: { ...answers, orgCode: '9144030071526726xg' } })).status).toBe(200)
    const submitted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(submitted.status).toBe(201)
    const clerk2 = await signedIn(server.url, 'clerk2')
    const seen = await clerk2.get(`/api/cases/${submitted.body.caseNo}`)
    // not in the city's legal-entity data: the department checks its business licence
    expect(seen.body.organization).toEqual({ ...EMPLOYER, check: { kind: 'notFound' } })
  })
})

describe('answers of every field type', () => {
  it.each(fieldCases)('%s %s: a right answer passes, a wrong one is named on submit', async (code, key, good, bad, message) => {
    const citizen = await signedIn(server.url, 'citizen')
    const file = await uploadPdf(citizen)
    const def = await formOf(citizen, code)
    const answers = completeAnswers(def, file)
    // the field's showIf condition, when it has one, must hold for it to count
    const field = def.fields.find(f => f.key === key)!
    if (field.showIf) answers[field.showIf.field] = field.showIf.equals
    const draft = await citizen.post('/api/applications', { serviceCode: code, answers: { ...answers, [key]: bad }, ...await applyingAs(citizen, code) })
    expect(draft.status).toBe(201)
    const refused = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(refused.status).toBe(400)
    expect(refused.body.data.fieldErrors).toEqual({ [key]: message })
    const fixed = await citizen.put(`/api/applications/${draft.body.id}`, { answers: { ...answers, [key]: good === 'UPLOAD' ? [file] : good } })
    expect(fixed.status).toBe(200)
    const accepted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(accepted.status).toBe(201)
    expect(accepted.body.caseNo).toMatch(/^SZ\d+$/)
  })

  it.each([
    ['text as a number', 'name', 42, 'validation.invalidType'],
    ['a number as text', 'capital', '12', 'validation.number'],
    ['a checkbox as text', 'needMail', 'yes', 'validation.invalidType'],
    ['files as a string', 'digitalPhotoReceiptFile', 'photo.pdf', 'validation.invalidType'],
    ['a file id that is not one', 'digitalPhotoReceiptFile', ['../../x'], 'validation.file'],
    ['text far too long', 'name', 'x'.repeat(5000), 'validation.tooLong'],
    ['text one character over its limit', 'name', '张'.repeat(51), 'validation.tooLong'],
    ['a control character in an address', 'mailAddress', '深圳\u0007', 'validation.controlChars'],
  ])('a draft is refused %s (400 with that key)', async (_what, key, value, message) => {
    const citizen = await signedIn(server.url, 'citizen')
    const code = key === 'capital' ? 'SZSJ-0001' : 'SZGA-0001'
    // the postal address is asked for (shown) only when the licence is to be mailed
    const shownBy = key === 'mailAddress' ? { needMail: true } : {}
    const res = await citizen.post('/api/applications', { serviceCode: code, answers: { ...shownBy, [key]: value } })
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ [key]: message })
  })

  it('does not keep the answer to a question that is hidden', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const file = await uploadPdf(citizen)
    const def = await formOf(citizen, 'SZGA-0001')
    const answers = { ...completeAnswers(def, file), needMail: false, mailAddress: '不应保存', renewReason: 'expired', changedItem: '姓名' }
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers })
    expect(draft.body.answers).not.toHaveProperty('mailAddress')
    expect(draft.body.answers).not.toHaveProperty('changedItem')
    const submitted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(submitted.status).toBe(201)
    const detail = await citizen.get(`/api/cases/${submitted.body.caseNo}`)
    expect(detail.status).toBe(200)
    expect(detail.body.answers).not.toHaveProperty('mailAddress')
    expect(detail.body.answers).not.toHaveProperty('changedItem')
  })
})

describe('submitting', () => {
  it('refuses an incomplete draft with a message for each missing or wrong answer', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: { name: '张晓明', idNumber: '440305199003072310' } })
    const res = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({
      idNumber: 'validation.idNumber.checksum', mobile: 'validation.required',
      renewReason: 'validation.required', digitalPhotoReceiptFile: 'validation.required',
    })
    expect((await citizen.get(`/api/applications/${draft.body.id}`)).body.status).toBe('draft')
  })

  it('creates one case however often it is submitted at once (double click, retry)', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const file = await uploadPdf(citizen)
    const def = await formOf(citizen, 'SZRS-0004')
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZRS-0004', answers: completeAnswers(def, file) })
    const results = await Promise.all([1, 2, 3].map(() => citizen.post(`/api/applications/${draft.body.id}/submit`)))
    expect(results.map(r => r.status).sort()).toEqual([200, 200, 201])
    const caseNos = new Set(results.map(r => r.body.caseNo))
    expect(caseNos.size).toBe(1)
    const [caseNo] = [...caseNos]
    expect(results[0]!.body).toMatchObject({ status: 'submitted', deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    const later = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(later.status).toBe(200)
    expect(later.body.caseNo).toBe(caseNo)
    const mine = await citizen.get(`/api/cases?q=${caseNo}`)
    expect(mine.body.items.filter((c: { caseNo: string }) => c.caseNo === caseNo)).toHaveLength(1)
    // the submitted application is no longer a draft to save or discard
    expect((await citizen.put(`/api/applications/${draft.body.id}`, { answers: {} })).status).toBe(409)
    expect((await citizen.request('DELETE', `/api/applications/${draft.body.id}`)).status).toBe(409)
    // the department's clerk may now download its material; another department's may not
    const clerk = await signedIn(server.url, 'clerk')
    expect((await clerk.get(`/api/uploads/${file}`)).status).toBe(200)
    const clerk2 = await signedIn(server.url, 'clerk2')
    expect((await clerk2.get(`/api/uploads/${file}`)).status).toBe(404)
    // and the owner may no longer delete it
    expect((await citizen.request('DELETE', `/api/uploads/${file}`)).status).toBe(409)
    // a retry after the clerk accepted it names the case as it is now, not as it was submitted
    const seen = await clerk.get<{ version: number }>(`/api/cases/${caseNo}`)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version: seen.body.version })).status).toBe(200)
    const retried = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(retried.status).toBe(200)
    expect(retried.body).toMatchObject({ caseNo, status: 'accepted' })
  })

  it('refuses an application naming someone else as the applicant, field by field; with the prefilled details it is theirs', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const other = { name: '别人', idNumber: '11010519491231002X', mobile: '13800138000', lossType: 'temp' }
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZRS-0005', answers: other })
    // a draft only keeps what was typed: it is judged on submit
    expect(draft.status).toBe(201)
    const refused = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(refused.status).toBe(400)
    expect(refused.body.data.fieldErrors).toEqual({ name: 'validation.notTheApplicant', idNumber: 'validation.notTheApplicant' })
    expect((await citizen.get(`/api/applications/${draft.body.id}`)).body.status).toBe('draft')
    const prefill = await citizen.get('/api/applications/prefill?serviceCode=SZRS-0005')
    expect(prefill.status).toBe(200)
    expect((await citizen.put(`/api/applications/${draft.body.id}`, { answers: { ...other, ...prefill.body.answers } })).status).toBe(200)
    const submitted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
    expect(submitted.status).toBe(201)
    const detail = await citizen.get(`/api/cases/${submitted.body.caseNo}`)
    // the account holder's own (the case page shows the ID number masked, as everywhere)
    expect(detail.body.answers).toMatchObject({ name: '张晓明', idNumber: '440305********2319' })
  })

  it('refuses a file that belongs to someone else', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const citizen2 = await signedIn(server.url, 'citizen2')
    const theirs = await uploadPdf(citizen2)
    const res = await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: { digitalPhotoReceiptFile: [theirs] } })
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.file' })
  })
})

describe('drafts belong to their owner', () => {
  it('someone else gets 404 for reading, saving, discarding or submitting my draft', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const citizen2 = await signedIn(server.url, 'citizen2')
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: {} })
    const id = draft.body.id as string
    expect((await citizen2.get(`/api/applications/${id}`)).status).toBe(404)
    expect((await citizen2.put(`/api/applications/${id}`, { answers: {} })).status).toBe(404)
    expect((await citizen2.request('DELETE', `/api/applications/${id}`)).status).toBe(404)
    expect((await citizen2.post(`/api/applications/${id}/submit`)).status).toBe(404)
    const list = await citizen2.get('/api/applications?status=draft')
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(id)
    expect((await citizen.get('/api/applications/!!')).status).toBe(404)
  })

  it('I find my drafts, resume one, and discard it', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZGA-0002', answers: { lossType: 'lost' } })
    const list = await citizen.get('/api/applications?status=draft')
    expect(list.status).toBe(200)
    expect(list.body.items[0]).toMatchObject({ id: draft.body.id, serviceCode: 'SZGA-0002', status: 'draft' })
    // how long an untouched draft is kept: the server's DRAFT_RETENTION_DAYS (default 30), which the page quotes
    expect(list.body.retentionDays).toBe(30)
    expect((await citizen.get('/api/applications?status=lost')).status).toBe(400)
    expect((await citizen.get('/api/applications?status=draft&status=submitted')).status).toBe(400)
    const saved = await citizen.put(`/api/applications/${draft.body.id}`, { answers: { lossType: 'stolen', lossPlace: '地铁' } })
    expect(saved.status).toBe(200)
    expect(saved.body.answers).toEqual({ lossType: 'stolen', lossPlace: '地铁' })
    expect((await citizen.put(`/api/applications/${draft.body.id}`, { answers: 'x' })).status).toBe(400)
    expect((await citizen.request('DELETE', `/api/applications/${draft.body.id}`)).status).toBe(204)
    expect((await citizen.get(`/api/applications/${draft.body.id}`)).status).toBe(404)
  })
})

describe('finding my drafts of one item, for one applicant', () => {
  // 机动车检验标志电子凭证核发: applied for as oneself or for an organisation
  const ITEM = 'SZGA-0013'
  type Listed = { items: { id: string, serviceCode: string, organizationId: number | null }[], total: number }
  const idsOf = (res: { body: Listed }) => res.body.items.map(i => i.id).sort()

  it('lists only my drafts of that item, as myself or for the organisation asked for', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const citizen2 = await signedIn(server.url, 'citizen2')
    const { organizationId: mine } = await applyingAs(citizen, 'SZGA-0017')
    const theirs = (await citizen2.post('/api/me/organizations', { name: '深圳市草稿测试有限公司', uscc: makeUscc('91440300MA5DRAFT1') })).body.id as number
    const asMyself = (await citizen.post('/api/applications', { serviceCode: ITEM, answers: {} })).body.id as string
    const forMyOrganization = (await citizen.post('/api/applications', { serviceCode: ITEM, answers: {}, organizationId: mine })).body.id as string
    const otherItem = (await citizen.post('/api/applications', { serviceCode: 'SZGA-0001', answers: {} })).body.id as string
    const theirsAsThemself = (await citizen2.post('/api/applications', { serviceCode: ITEM, answers: {} })).body.id as string
    const theirsForTheirOrganization = (await citizen2.post('/api/applications', { serviceCode: ITEM, answers: {}, organizationId: theirs })).body.id as string
    expect([asMyself, forMyOrganization, otherItem, theirsAsThemself, theirsForTheirOrganization].every(Boolean)).toBe(true)

    const ofItem = await citizen.get<Listed>(`/api/applications?status=draft&serviceCode=${ITEM}`)
    expect(ofItem.status).toBe(200)
    expect(idsOf(ofItem)).toEqual([asMyself, forMyOrganization].sort())
    expect(ofItem.body.total).toBe(2)
    expect(ofItem.body.items.find(i => i.id === forMyOrganization)).toMatchObject({ serviceCode: ITEM, organizationId: mine })

    const myselfOnly = await citizen.get<Listed>(`/api/applications?status=draft&serviceCode=${ITEM}&organizationId=none`)
    expect(myselfOnly.body.items).toEqual([expect.objectContaining({ id: asMyself, organizationId: null })])
    expect(myselfOnly.body.total).toBe(1)
    const organizationOnly = await citizen.get<Listed>(`/api/applications?status=draft&serviceCode=${ITEM}&organizationId=${mine}`)
    expect(idsOf(organizationOnly)).toEqual([forMyOrganization])

    // someone else's organisation, or my organisation asked for by someone else: nothing
    expect((await citizen.get<Listed>(`/api/applications?status=draft&serviceCode=${ITEM}&organizationId=${theirs}`)).body).toMatchObject({ items: [], total: 0 })
    expect((await citizen2.get<Listed>(`/api/applications?status=draft&serviceCode=${ITEM}&organizationId=${mine}`)).body).toMatchObject({ items: [], total: 0 })
    expect(idsOf(await citizen2.get<Listed>(`/api/applications?status=draft&serviceCode=${ITEM}`))).toEqual([theirsAsThemself, theirsForTheirOrganization].sort())

    // a submitted application is no draft to continue
    expect((await citizen.get<Listed>(`/api/applications?status=submitted&serviceCode=${ITEM}`)).body.total).toBe(0)
    // an item nobody applied for, or one that does not exist: an empty list, not an error
    expect((await citizen.get<Listed>('/api/applications?status=draft&serviceCode=NOPE-0001')).body).toMatchObject({ items: [], total: 0 })
  })

  it('refuses a malformed item code or organisation with 400 and the parameter named', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    for (const [query, field, message] of [
      ['serviceCode=../x', 'serviceCode', 'validation.serviceCode'],
      [`serviceCode=${'A'.repeat(65)}`, 'serviceCode', 'validation.serviceCode'],
      ['serviceCode=SZGA-0013&serviceCode=SZGA-0001', 'serviceCode', 'validation.query.single'],
      ['organizationId=abc', 'organizationId', 'validation.query.organizationId'],
      ['organizationId=0', 'organizationId', 'validation.query.organizationId'],
      ['organizationId=-1', 'organizationId', 'validation.query.organizationId'],
      ['organizationId=NONE', 'organizationId', 'validation.query.organizationId'],
      ['organizationId=none&organizationId=1', 'organizationId', 'validation.query.single'],
    ] as const) {
      const res = await citizen.get(`/api/applications?status=draft&${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.message, query).toBe(`Invalid query parameter: ${field}`)
      expect(res.body.data.fieldErrors, query).toEqual({ [field]: message })
    }
    // an empty parameter is one not given (server/utils/validation.ts, parseQuery)
    const all = await citizen.get('/api/applications?status=draft')
    expect((await citizen.get('/api/applications?status=draft&serviceCode=&organizationId=')).body).toEqual(all.body)
  })
})
