/**
 * Catalogue management over HTTP against the built server: who may call it, the contract's
 * export and import, and an administrator's new item that a citizen can apply for at once.
 */
import { describe, expect, it } from 'vitest'
import type { ManagedService } from '../../server/services/catalogue-admin'
import type { ServiceGuide } from '../../shared/types/catalogue'
import { Client, signedIn } from '../support/client'
import { demoPerson } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()

const FORM = {
  version: 1,
  fields: [
    { key: 'name', type: 'text', label: { zh: '姓名', en: 'Name' }, required: true, prefill: 'name' },
    { key: 'hostel', type: 'select', label: { zh: '驿站', en: 'Hostel' }, required: true, options: [{ value: 'ft', label: { zh: '福田', en: 'Futian' } }] },
  ],
}

function newGuide(code: string) {
  return {
    code, basicCode: '000111999000', department: 'SZRS', type: 'public_service', audience: 'person',
    name: '青年人才驿站入住申请', nameEn: 'Youth talent hostel', legalLimitDays: 20, promisedLimitDays: 5, processType: 'promised',
    onlineDepth: 4, suitableOnline: true, unsuitableReason: null, visits: 0, visitsReason: null,
    themes: ['employment'], keywords: ['人才驿站'], conditions: ['来深求职的应届毕业生。'],
    materials: [{ name: '毕业证书', required: true, format: 'electronic', copies: 1, source: 'applicant' }],
    fees: [], steps: [{ name: '申请', description: '在线提交。' }], location: '市民中心', hours: '工作日 9:00-18:00',
    consultPhone: '12333', complaintPhone: '12345', legalBasis: ['《深圳经济特区人才工作条例》'], resultName: '入住通知书', form: null,
  }
}

describe('who may manage the catalogue', () => {
  it('asks a visitor to sign in and refuses citizens', async () => {
    expect((await new Client(server.url).get('/api/manage/catalogue/export')).status).toBe(401)
    expect((await new Client(server.url).get('/api/manage/services')).status).toBe(401)
    const citizen = await signedIn(server.url, 'citizen')
    expect((await citizen.get('/api/manage/catalogue/export')).status).toBe(403)
    expect((await citizen.post('/api/manage/catalogue/import?dryRun=1', { services: [] })).status).toBe(403)
    expect((await citizen.get('/api/manage/services/SZRS-0001')).status).toBe(403)
  })

  it('lets a department\'s clerk see only their own items: another department\'s item is not found', async () => {
    const clerk2 = await signedIn(server.url, 'clerk2')
    expect((await clerk2.get('/api/manage/services/SZRS-0001')).status).toBe(404)
    expect((await clerk2.post('/api/manage/services/SZRS-0001/withdraw')).status).toBe(404)
    expect((await clerk2.put('/api/manage/services/SZRS-0001/draft', newGuide('SZRS-0001'))).status).toBe(404)
    const list = await clerk2.get('/api/manage/services?pageSize=100')
    expect(list.status).toBe(200)
    expect(list.body.items.every((i: { department: { code: string } }) => i.department.code === 'SZGA')).toBe(true)
    const clerk = await signedIn(server.url, 'clerk')
    const own = await clerk.get('/api/manage/services/SZRS-0001')
    expect(own.status).toBe(200)
    expect(own.body.current.code).toBe('SZRS-0001')
    // import and export stay with administrators
    expect((await clerk.get('/api/manage/catalogue/export')).status).toBe(403)
  })

  it('refuses a write from another site and bad input', async () => {
    const admin = await signedIn(server.url, 'admin')
    expect((await admin.post('/api/manage/services/SZRS-0001/withdraw', undefined, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await admin.get('/api/manage/services?status=gone')).status).toBe(400)
    expect((await admin.get('/api/manage/services?pageSize=101')).status).toBe(400)
    expect((await admin.get('/api/manage/services/bad%20code')).status).toBe(404)
    expect((await admin.get('/api/manage/services/NOPE-1')).status).toBe(404)
    expect((await admin.post('/api/manage/catalogue/import?dryRun=maybe', { services: [newGuide('X-1')] })).status).toBe(400)
    expect((await admin.post('/api/manage/catalogue/import', { services: 'all' })).status).toBe(400)
    expect((await admin.post('/api/manage/catalogue/import', 'services', { 'content-type': 'text/plain' })).status).toBe(415)
  })
})

describe('an administrator exporting and importing the catalogue', () => {
  it('exports every published item as whole guides', async () => {
    const admin = await signedIn(server.url, 'admin')
    const res = await admin.get('/api/manage/catalogue/export')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('no-store')
    expect(res.body.services.length).toBeGreaterThanOrEqual(150)
    const guide = res.body.services.find((s: { code: string }) => s.code === 'SZRS-0001')
    const publicGuide = await new Client(server.url).get('/api/services/SZRS-0001')
    expect(guide).toEqual(publicGuide.body)
    // the whole export (over the default 1 MB body limit) goes back in without a problem
    expect(Buffer.byteLength(JSON.stringify(res.body))).toBeGreaterThan(500_000)
    const back = await admin.post('/api/manage/catalogue/import?dryRun=1', res.body)
    expect(back.status).toBe(200)
    expect(back.body).toEqual({ ok: true, problems: [], created: 0, updated: 0, republished: [] })
  })

  it('exports one department with dept=, and refuses a malformed one', async () => {
    const admin = await signedIn(server.url, 'admin')
    const res = await admin.get('/api/manage/catalogue/export?dept=SZRS')
    expect(res.status).toBe(200)
    expect(res.body.services.length).toBeGreaterThan(5)
    expect(res.body.services.every((s: { department: { code: string } }) => s.department.code === 'SZRS')).toBe(true)
    expect((await admin.get('/api/manage/catalogue/export?dept=../x')).status).toBe(400)
  })

  it('gets every problem by item and field from a dry run, and nothing is written', async () => {
    const admin = await signedIn(server.url, 'admin')
    const bad = { ...newGuide('IMP-1'), promisedLimitDays: 30, materials: [{ name: '证明', required: true, format: 'paper', copies: 0, source: 'applicant' }] }
    const res = await admin.post('/api/manage/catalogue/import?dryRun=1', { services: [bad, newGuide('IMP-2')] })
    expect(res.status).toBe(200)
    expect(res.body.ok).toBe(false)
    expect(res.body.problems).toEqual(expect.arrayContaining([
      { code: 'IMP-1', field: 'promisedLimitDays', message: 'manage.rule.promisedAboveLegal' },
      { code: 'IMP-1', field: 'materials[0].copies', message: 'manage.rule.copies' },
    ]))
    expect(res.body.problems.every((p: { code: string }) => p.code === 'IMP-1')).toBe(true)
    const written = await admin.post('/api/manage/catalogue/import', { services: [bad, newGuide('IMP-2')] })
    expect(written.status).toBe(400)
    expect(written.body.ok).toBe(false)
    expect(written.body.problems.length).toBe(res.body.problems.length)
    expect((await new Client(server.url).get('/api/services/IMP-2')).status).toBe(404)
  })

  it('names a key the guide has no field for, and one left out, instead of "wrong format" for the whole item', async () => {
    const admin = await signedIn(server.url, 'admin')
    const { resultName: _left, ...withoutResultName } = newGuide('IMP-9')
    const res = await admin.post('/api/manage/catalogue/import?dryRun=1', { services: [{ ...withoutResultName, remark: '备注', materials: [{ ...newGuide('IMP-9').materials[0], colour: 'red' }] }] })
    expect(res.body.ok).toBe(false)
    expect(res.body.problems).toEqual(expect.arrayContaining([
      { code: 'IMP-9', field: 'remark', message: 'manage.rule.unknownKey' },
      { code: 'IMP-9', field: 'materials[0].colour', message: 'manage.rule.unknownKey' },
      { code: 'IMP-9', field: 'resultName', message: 'manage.rule.missingKey' },
    ]))
    expect(res.body.problems.filter((p: { field: string }) => p.field === '_')).toEqual([])
  })

  it('imports a good file: a new item is published and an existing code becomes its next version', async () => {
    const admin = await signedIn(server.url, 'admin')
    const current = (await new Client(server.url).get('/api/services/SZRS-0002')).body
    const dry = await admin.post('/api/manage/catalogue/import?dryRun=1', { services: [newGuide('IMP-3'), { ...current, hours: '工作日 8:30-18:00' }] })
    expect(dry.body).toMatchObject({ ok: true, problems: [] })
    expect((await new Client(server.url).get('/api/services/IMP-3')).status).toBe(404)
    const res = await admin.post('/api/manage/catalogue/import', { services: [newGuide('IMP-3'), { ...current, hours: '工作日 8:30-18:00' }] })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ ok: true, created: 1, updated: 1 })
    expect((await new Client(server.url).get('/api/services/IMP-3')).status).toBe(200)
    expect((await new Client(server.url).get('/api/services/SZRS-0002')).body.hours).toBe('工作日 8:30-18:00')
    const managed = await admin.get('/api/manage/services/SZRS-0002')
    expect(managed.body.version).toBe(2)
    expect(managed.body.history.filter((h: { kind: string }) => h.kind === 'guide').map((h: { status: string }) => h.status)).toEqual(['published', 'superseded'])
  })

  it('imports a guide written to the contract\'s ServiceGuide alone, without the national standard\'s added fields', async () => {
    const admin = await signedIn(server.url, 'admin')
    const full = newGuide('IMP-4') as Record<string, unknown>
    const CONTRACT_FIELDS = ['code', 'name', 'nameEn', 'department', 'audience', 'onlineDepth', 'processType', 'type', 'legalLimitDays', 'promisedLimitDays',
      'suitableOnline', 'visits', 'conditions', 'materials', 'fees', 'steps', 'location', 'hours', 'consultPhone', 'complaintPhone', 'legalBasis', 'resultName', 'form']
    const contractOnly = Object.fromEntries(CONTRACT_FIELDS.map(k => [k, full[k]]))
    contractOnly.materials = (full.materials as Record<string, unknown>[]).map(({ name, required, format, source }) => ({ name, required, format, source }))
    const dry = await admin.post('/api/manage/catalogue/import?dryRun=1', { services: [contractOnly] })
    expect(dry.body).toMatchObject({ ok: true, problems: [] })
    expect((await admin.post('/api/manage/catalogue/import', { services: [contractOnly] })).body).toMatchObject({ ok: true, created: 1 })
    const guide = (await new Client(server.url).get('/api/services/IMP-4')).body
    expect(guide).toMatchObject({ code: 'IMP-4', name: full.name, basicCode: 'IMP-4', themes: [], keywords: [] })
    expect(guide.materials.every((m: { copies: number }) => m.copies === 1)).toBe(true)
    // a guide that needs a reason the contract does not carry is told which field to add
    const visited = await admin.post('/api/manage/catalogue/import?dryRun=1', { services: [{ ...contractOnly, code: 'IMP-5', onlineDepth: 3, visits: 1 }] })
    expect(visited.body.problems).toEqual([{ code: 'IMP-5', field: 'visitsReason', message: 'manage.rule.visitsReasonRequired' }])
  })
})

describe('an administrator adding an item with a form', () => {
  it('creates, publishes guide and form, and a citizen can apply at once', async () => {
    const admin = await signedIn(server.url, 'admin')
    const bad = await admin.post('/api/manage/services', { ...newGuide('NEW-1'), visits: 1 })
    expect(bad.status).toBe(400)
    expect(bad.body.data.fieldErrors).toMatchObject({ visitsReason: 'manage.rule.visitsReasonRequired', onlineDepth: 'manage.rule.depth4NeedsNoVisit' })

    const created = await admin.post('/api/manage/services', newGuide('NEW-1'))
    expect(created.status).toBe(201)
    expect((await admin.post('/api/manage/services', newGuide('NEW-1'))).status).toBe(400)
    expect((await new Client(server.url).get('/api/services/NEW-1')).status).toBe(404)

    expect((await admin.post('/api/manage/services/NEW-1/publish')).body).toEqual({ version: 1, status: 'published' })
    const broken = await admin.put('/api/manage/services/NEW-1/form-draft', { ...FORM, fields: [{ ...FORM.fields[1], options: undefined }] })
    expect(broken.status).toBe(200)
    expect(broken.body.problems.length).toBeGreaterThan(0)
    expect((await admin.post('/api/manage/services/NEW-1/form-publish')).status).toBe(400)
    expect((await admin.put('/api/manage/services/NEW-1/form-draft', FORM)).body.problems).toEqual([])
    expect((await admin.post('/api/manage/services/NEW-1/form-publish')).status).toBe(200)

    const guide = (await new Client(server.url).get('/api/services/NEW-1')).body
    expect(guide.onlineAvailable).toBe(true)
    expect(guide.form).toEqual(FORM)
    const citizen = await signedIn(server.url, 'citizen')
    const draft = await citizen.post('/api/applications', { serviceCode: 'NEW-1', answers: { hostel: 'ft' } })
    expect(draft.status).toBe(201)
    expect(draft.body).toMatchObject({ serviceCode: 'NEW-1', status: 'draft' })

    // withdrawn: hidden and closed to new applications, and back again when restored
    expect((await admin.post('/api/manage/services/NEW-1/withdraw')).status).toBe(200)
    expect((await new Client(server.url).get('/api/services/NEW-1')).status).toBe(404)
    expect((await citizen.post('/api/applications', { serviceCode: 'NEW-1', answers: {} })).status).not.toBe(201)
    expect((await admin.post('/api/manage/services/NEW-1/withdraw')).status).toBe(409)
    expect((await admin.post('/api/manage/services/NEW-1/restore')).status).toBe(200)
    expect((await new Client(server.url).get('/api/services/NEW-1')).status).toBe(200)
  })

  it('has a guide draft refused field by field, and saved when corrected', async () => {
    const clerk = await signedIn(server.url, 'clerk')
    const current = (await clerk.get('/api/manage/services/SZRS-0003')).body.current
    const bad = await clerk.put('/api/manage/services/SZRS-0003/draft', { ...current, consultPhone: 'call us', department: 'SZGA' })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.data.fieldErrors).sort()).toEqual(['consultPhone', 'department'])
    const ok = await clerk.put('/api/manage/services/SZRS-0003/draft', { ...current, name: '失业保险金申领（修订）' })
    expect(ok.status).toBe(200)
    expect((await new Client(server.url).get('/api/services/SZRS-0003')).body.name).not.toBe('失业保险金申领（修订）')
    expect((await clerk.post('/api/manage/services/SZRS-0003/publish')).status).toBe(200)
    expect((await new Client(server.url).get('/api/services/SZRS-0003')).body.name).toBe('失业保险金申领（修订）')
  })
})

describe('a citizen\'s draft of an item no longer applied for online', () => {
  it('is kept but not submitted (409 notOnline) once the form is taken down or the guide says at the counter, and goes in when it is online again', async () => {
    const admin = await signedIn(server.url, 'admin')
    expect((await admin.post('/api/manage/services', newGuide('NEW-2'))).status).toBe(201)
    expect((await admin.post('/api/manage/services/NEW-2/publish')).status).toBe(200)
    expect((await admin.put('/api/manage/services/NEW-2/form-draft', FORM)).status).toBe(200)
    expect((await admin.post('/api/manage/services/NEW-2/form-publish')).status).toBe(200)
    const citizen = await signedIn(server.url, 'citizen')
    const draft = async () => (await citizen.post<{ id: string }>('/api/applications', { serviceCode: 'NEW-2', answers: { name: demoPerson('citizen').name, hostel: 'ft' } })).body.id
    const [first, second] = [await draft(), await draft()]
    const online = async () => (await new Client(server.url).get<{ onlineAvailable: boolean }>('/api/services/NEW-2')).body.onlineAvailable

    // the form taken down by an import
    const exported = (await admin.get('/api/manage/catalogue/export?dept=SZRS')).body.services.find((x: { code: string }) => x.code === 'NEW-2')
    expect((await admin.post('/api/manage/catalogue/import', { services: [{ ...exported, form: null }] })).status).toBe(200)
    expect(await online()).toBe(false)
    const refused = await citizen.post(`/api/applications/${first}/submit`)
    expect(refused.status).toBe(409)
    expect(refused.body.data).toEqual({ reason: 'notOnline' })
    expect((await citizen.get(`/api/applications/${first}`)).body).toMatchObject({ status: 'draft', caseNo: null, answers: { hostel: 'ft' } })

    // the form back, and the guide now saying the item is applied for at the counter (depth Ⅱ)
    expect((await admin.put('/api/manage/services/NEW-2/form-draft?basedOn=none', FORM)).status).toBe(200)
    expect((await admin.post('/api/manage/services/NEW-2/form-publish')).status).toBe(200)
    const guide = (await admin.get('/api/manage/services/NEW-2')).body.current
    const atCounter = await admin.put('/api/manage/services/NEW-2/draft', { ...guide, onlineDepth: 2, visits: 1, visitsReason: '须到窗口核验原件。' })
    expect(atCounter.status, JSON.stringify(atCounter.body)).toBe(200)
    expect((await admin.post('/api/manage/services/NEW-2/publish')).status).toBe(200)
    expect(await online()).toBe(false)
    expect((await citizen.post(`/api/applications/${second}/submit`)).body).toMatchObject({ statusCode: 409, data: { reason: 'notOnline' } })

    // online again: both drafts go in
    expect((await admin.put('/api/manage/services/NEW-2/draft', guide)).status).toBe(200)
    expect((await admin.post('/api/manage/services/NEW-2/publish')).status).toBe(200)
    expect(await online()).toBe(true)
    for (const id of [first, second]) {
      const submitted = await citizen.post(`/api/applications/${id}/submit`)
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    }
  })
})

describe('a form builder opened before an import changed the form', () => {
  it('is refused with 409 when it says which form it started from and another was published, or the form removed, since', async () => {
    const admin = await signedIn(server.url, 'admin')
    const exported = (await admin.get('/api/manage/catalogue/export?dept=SZGA')).body.services
      .find((s: { form: { fields: unknown[] } | null }) => (s.form?.fields.length ?? 0) >= 3) as { code: string, form: { version: 1, fields: unknown[] } }
    const { code, form } = exported
    const opened = (await admin.get(`/api/manage/services/${code}`)).body.publishedForm.id as number
    // the builder's work, and an import publishing a different form meanwhile
    const edited = { ...form, fields: form.fields.slice(0, 1) }
    const imported = await admin.post('/api/manage/catalogue/import', { services: [{ ...exported, form: { ...form, fields: form.fields.slice(0, 2) } }] })
    expect(imported.status).toBe(200)
    const inForce = (await admin.get(`/api/manage/services/${code}`)).body.publishedForm as { id: number, version: number }
    expect(inForce.id).not.toBe(opened)

    const save = await admin.put(`/api/manage/services/${code}/form-draft?basedOn=${opened}`, edited)
    expect(save.status).toBe(409)
    expect(save.body.data.problems).toEqual([{ code, field: 'form', message: 'manage.rule.draftOvertaken' }])
    expect((await admin.post(`/api/manage/services/${code}/form-publish?basedOn=${opened}`)).status).toBe(409)
    expect((await new Client(server.url).get(`/api/services/${code}`)).body.form.fields).toHaveLength(2)
    expect((await admin.put(`/api/manage/services/${code}/form-draft?basedOn=x`, edited)).status).toBe(400)

    // from the form now in force, the editor's choice saves and publishes
    expect((await admin.put(`/api/manage/services/${code}/form-draft?basedOn=${inForce.id}`, edited)).status).toBe(200)
    expect((await admin.post(`/api/manage/services/${code}/form-publish?basedOn=${inForce.id}`)).status).toBe(200)
    expect((await new Client(server.url).get(`/api/services/${code}`)).body.form.fields).toHaveLength(1)

    // removed by an import: a builder opened on the form refuses, one opened on none goes on
    const now = (await admin.get(`/api/manage/services/${code}`)).body.publishedForm.id as number
    expect((await admin.post('/api/manage/catalogue/import', { services: [{ ...exported, form: null }] })).status).toBe(200)
    expect((await admin.put(`/api/manage/services/${code}/form-draft?basedOn=${now}`, form)).status).toBe(409)
    expect((await new Client(server.url).get(`/api/services/${code}`)).body.form).toBeNull()
    expect((await admin.put(`/api/manage/services/${code}/form-draft?basedOn=none`, form)).status).toBe(200)
  })
})

describe('an auditor turning the pages of the audit log', () => {
  it('sees no row twice on two consecutive pages, though each reading writes a row of its own', async () => {
    const auditor = await signedIn(server.url, 'auditor')
    const first = await auditor.get('/api/audit?pageSize=5')
    expect(first.status).toBe(200)
    expect(first.body.upTo).toBe(first.body.items[0].id)
    // the reading is recorded after the page is read, so it is not on the page it read
    expect(first.body.items.some((r: { action: string, actorUsername: string }) => r.action === 'audit.read' && r.actorUsername === 'auditor')).toBe(false)
    const second = await auditor.get(`/api/audit?pageSize=5&page=2&upTo=${first.body.upTo}`)
    expect(second.status).toBe(200)
    const ids = (p: { body: { items: { id: number }[] } }) => p.body.items.map(r => r.id)
    expect(ids(second)).toHaveLength(5)
    expect(ids(second).filter(id => ids(first).includes(id))).toEqual([])
    // and none left out between them: the second page goes on where the first stopped
    expect(second.body.total).toBe(first.body.total)
    const both = (await auditor.get(`/api/audit?pageSize=10&upTo=${first.body.upTo}`)).body.items.map((r: { id: number }) => r.id)
    expect(both).toEqual([...ids(first), ...ids(second)])
  })
})

/** A draft saved (its revision to send back), or refused with the problems and field errors. */
type DraftSaved = { version: number, revision: string, data?: { problems: unknown[], fieldErrors: Record<string, string> } }

describe('two editors of one department working on the same guide draft', () => {
  it('refuses a save or a publication on a draft changed since the editor loaded it, and takes one stating the current revision', async () => {
    const clerk = await signedIn(server.url, 'clerk')
    const admin = await signedIn(server.url, 'admin')
    const code = 'SZRS-0006'
    const opened = (await clerk.get<ManagedService>(`/api/manage/services/${code}`)).body
    expect(opened.draft).toBeNull()
    const { onlineAvailable: _o, department: _d, ...guide } = opened.current

    const first = await clerk.put<DraftSaved>(`/api/manage/services/${code}/draft?revision=none`, { ...guide, department: 'SZRS', hours: '工作日 8:30-12:00' })
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ version: expect.any(Number), revision: expect.any(String) })
    // the other editor opened the item before that save, when there was no draft
    const second = await admin.put<DraftSaved>(`/api/manage/services/${code}/draft?revision=none`, { ...guide, department: 'SZRS', location: '市民中心A区' })
    expect(second.status).toBe(409)
    expect(second.body.data).toEqual({
      problems: [{ code, field: 'revision', message: 'manage.rule.draftChanged' }],
      fieldErrors: { revision: 'manage.rule.draftChanged' },
    })
    expect((await admin.post(`/api/manage/services/${code}/publish?revision=none`)).status).toBe(409)
    expect((await new Client(server.url).get<ServiceGuide>(`/api/services/${code}`)).body.hours).toBe(guide.hours)
    expect((await admin.put(`/api/manage/services/${code}/draft?revision=yesterday`, guide)).status).toBe(400)

    const current = (await admin.get<ManagedService>(`/api/manage/services/${code}`)).body.draft!
    expect(current).toMatchObject({ revision: first.body.revision, guide: { hours: '工作日 8:30-12:00' } })
    const saved = await admin.put<DraftSaved>(`/api/manage/services/${code}/draft?revision=${current.revision}`, { ...current.guide, location: '市民中心A区' })
    expect(saved.status).toBe(200)
    expect((await clerk.post(`/api/manage/services/${code}/publish?revision=${first.body.revision}`)).status).toBe(409)
    expect((await clerk.post(`/api/manage/services/${code}/publish?revision=${saved.body.revision}`)).status).toBe(200)
    expect((await new Client(server.url).get<ServiceGuide>(`/api/services/${code}`)).body).toMatchObject({ hours: '工作日 8:30-12:00', location: '市民中心A区' })
  })

  it('still saves and publishes for a client that states no revision', async () => {
    const clerk = await signedIn(server.url, 'clerk')
    const code = 'SZRS-0007'
    const { onlineAvailable: _o, department: _d, ...guide } = (await clerk.get<ManagedService>(`/api/manage/services/${code}`)).body.current
    expect((await clerk.put(`/api/manage/services/${code}/draft`, { ...guide, department: 'SZRS', hours: '工作日 9:00-17:00' })).status).toBe(200)
    expect((await clerk.put(`/api/manage/services/${code}/draft`, { ...guide, department: 'SZRS', hours: '工作日 9:00-17:30' })).status).toBe(200)
    expect((await clerk.post(`/api/manage/services/${code}/publish`)).status).toBe(200)
    expect((await new Client(server.url).get<ServiceGuide>(`/api/services/${code}`)).body.hours).toBe('工作日 9:00-17:30')
  })
})
