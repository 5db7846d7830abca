/**
 * Catalogue management at the service level, against a fresh database with the seed: what an
 * administrator publishes is what citizens find, and nothing published is ever rewritten.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { FormDefinition, ServiceGuide } from '../../shared/types/catalogue'
import { OPTIONAL_GUIDE_KEYS } from '../../shared/types/catalogue'
import { getGuide, searchServices } from '../../server/services/catalogue'
import type { Actor } from '../../server/services/catalogue-admin'
import { CatalogueAdminError, createService, getManagedService, listManagedServices, publishGuide, saveGuideDraft, setServiceStatus } from '../../server/services/catalogue-admin'
import { publishForm, saveFormDraft } from '../../server/services/catalogue-admin-form'
import { exportCatalogue, importCatalogue } from '../../server/services/catalogue-import'
import { checkPublishedVersions } from '../../server/services/published-versions-check'
import { receiveCase } from '../../server/services/case-intake'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
let admin: Actor
let clerk: Actor
let clerk2: Actor

beforeEach(() => {
  conn = freshDatabase()
  admin = { id: userIdOf(conn, 'admin'), role: 'admin', departmentCode: null }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  clerk2 = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
})
afterEach(() => conn.sqlite.close())

const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

const FORM: FormDefinition = {
  version: 1,
  fields: [
    { key: 'name', type: 'text', label: { zh: '姓名', en: 'Name' }, required: true, prefill: 'name' },
    { key: 'idNumber', type: 'idNumber', label: { zh: '身份证号', en: 'ID number' }, required: true },
  ],
}

function newGuide(code = 'SZRS-9001'): Record<string, unknown> {
  return {
    code, basicCode: '000111999000', department: 'SZRS', type: 'public_service', audience: 'person',
    name: '青年人才驿站入住申请', nameEn: 'Youth talent hostel', legalLimitDays: 20, promisedLimitDays: 5, processType: 'promised',
    onlineDepth: 4, suitableOnline: true, unsuitableReason: null, visits: 0, visitsReason: null,
    themes: ['employment'], keywords: ['人才驿站'], conditions: ['来深求职的应届毕业生。'],
    materials: [{ name: '毕业证书', required: true, format: 'electronic', copies: 1, source: 'applicant' }],
    fees: [], steps: [{ name: '申请', description: '在线提交。' }], location: '市民中心', hours: '工作日 9:00-18:00',
    consultPhone: '12333', complaintPhone: '12345', legalBasis: ['《深圳经济特区人才工作条例》'], resultName: '入住通知书', form: FORM,
  }
}

function caseFor(code: string): string {
  const formVersionId = (conn.sqlite.prepare('SELECT form_version_id AS id FROM services WHERE code = ?').get(code) as { id: number }).id
  return tx(() => receiveCase(conn, {
    serviceCode: code, channel: 'online', formVersionId, applicant: { userId: userIdOf(conn, 'citizen'), name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
    answers: { name: '张晓明' }, materials: [], actor: { id: userIdOf(conn, 'citizen'), role: 'citizen' },
  })).caseNo
}

const caseRow = (caseNo: string) => conn.sqlite.prepare('SELECT status, form_version_id AS formVersionId, answers FROM cases WHERE case_no = ?').get(caseNo) as { status: string, formVersionId: number, answers: string }
const audits = (action: string) => (conn.sqlite.prepare('SELECT subject FROM audit_log WHERE action = ?').all(action) as { subject: string }[]).map(a => a.subject)

describe('an administrator adding an item', () => {
  it('creates it as a draft hidden from the catalogue, then publishes guide and form and citizens find it', () => {
    expect(tx(() => createService(conn, admin, newGuide()))).toEqual({ code: 'SZRS-9001', status: 'draft' })
    expect(getGuide(conn, 'SZRS-9001')).toBeNull()
    expect(searchServices(conn, { q: '人才驿站', page: 1, pageSize: 10 }).total).toBe(0)

    expect(tx(() => publishGuide(conn, admin, 'SZRS-9001'))).toEqual({ version: 1, status: 'published' })
    expect(tx(() => publishForm(conn, admin, 'SZRS-9001')).version).toBe(1)
    const guide = getGuide(conn, 'SZRS-9001')!
    expect(guide.onlineAvailable).toBe(true)
    expect(guide.form).toEqual(FORM)
    expect(searchServices(conn, { q: '人才驿站', page: 1, pageSize: 10 }).items.map(i => i.code)).toEqual(['SZRS-9001'])
    expect(audits('catalogue.publish')).toContain('SZRS-9001')
    expect(audits('form.publish')).toContain('SZRS-9001')
    const history = getManagedService(conn, admin, 'SZRS-9001')!.history
    expect(history.find(h => h.kind === 'guide' && h.version === 1)).toMatchObject({ status: 'published', publishedBy: '系统管理员' })
  })

  it('refuses a guide with problems, field by field, and a code that exists', () => {
    const bad = { ...newGuide(), promisedLimitDays: 30, consultPhone: '12345' }
    const e = (() => {
      try { tx(() => createService(conn, admin, bad)) }
      catch (err) { return err }
    })() as CatalogueAdminError
    expect(e.statusCode).toBe(400)
    expect(e.problems!.map(p => p.field).sort()).toEqual(['complaintPhone', 'promisedLimitDays'])
    expect(() => tx(() => createService(conn, admin, newGuide('SZRS-0001')))).toThrow(CatalogueAdminError)
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM services WHERE code = ?').get('SZRS-9001')).toEqual({ n: 0 })
  })
})

describe('a department\'s clerk editing the catalogue', () => {
  it('manages only their own department\'s items', () => {
    expect(getManagedService(conn, clerk2, 'SZRS-0001')).toBeNull()
    expect(() => tx(() => setServiceStatus(conn, clerk2, 'SZRS-0001', 'withdrawn'))).toThrow(expect.objectContaining({ statusCode: 404 }))
    expect(listManagedServices(conn, clerk, { page: 1, pageSize: 100 }).items.every(i => i.department.code === 'SZRS')).toBe(true)
    expect(listManagedServices(conn, clerk, { dept: 'SZGA', page: 1, pageSize: 100 }).total).toBe(0)
    const e = (() => {
      try { tx(() => createService(conn, clerk, { ...newGuide('SZGA-9001'), department: 'SZGA', themes: [] })) }
      catch (err) { return err }
    })() as CatalogueAdminError
    expect(e.problems!.map(p => p.field)).toContain('department')
  })

  it('saves a guide draft that changes nothing public until it is published as the next version', () => {
    const before = getGuide(conn, 'SZRS-0002')!
    const { department: _d, onlineAvailable: _o, ...rest } = before
    const draft = { ...rest, department: 'SZRS', name: `${before.name}（新版）` }
    expect(tx(() => saveGuideDraft(conn, clerk, 'SZRS-0002', draft))).toMatchObject({ version: 2 })
    expect(getGuide(conn, 'SZRS-0002')!.name).toBe(before.name)
    expect(tx(() => publishGuide(conn, clerk, 'SZRS-0002')).version).toBe(2)
    expect(getGuide(conn, 'SZRS-0002')!.name).toBe(`${before.name}（新版）`)
    expect(getGuide(conn, 'SZRS-0002')!.form).toEqual(before.form)
    const guides = getManagedService(conn, clerk, 'SZRS-0002')!.history.filter(h => h.kind === 'guide')
    expect(guides.map(g => [g.version, g.status])).toEqual([[2, 'published'], [1, 'superseded']])
    const snapshot = conn.sqlite.prepare(`SELECT guide FROM service_versions WHERE service_code = 'SZRS-0002' AND version = 1`).get() as { guide: string }
    expect((JSON.parse(snapshot.guide) as ServiceGuide).name).toBe(before.name)
    expect(() => tx(() => publishGuide(conn, clerk, 'SZRS-0002'))).toThrow(expect.objectContaining({ statusCode: 409 }))
  })

  it('publishes the licence\'s English title with the guide, and the check of published versions finds nothing changed', () => {
    const before = getGuide(conn, 'SZRS-0002')!
    expect(before.resultNameEn).toBe('Liaison Letter for the Transfer of Basic Pension Insurance')
    const { department: _d, onlineAvailable: _o, ...rest } = before
    tx(() => saveGuideDraft(conn, clerk, 'SZRS-0002', { ...rest, department: 'SZRS', resultNameEn: 'Letter on the Transfer of Basic Pension Insurance' }))
    tx(() => publishGuide(conn, clerk, 'SZRS-0002'))
    expect(getGuide(conn, 'SZRS-0002')!.resultNameEn).toBe('Letter on the Transfer of Basic Pension Insurance')
    expect(checkPublishedVersions(conn).mismatches).toEqual([])
  })

  it('reads a guide published before English titles existed as it was published', () => {
    // as migration 0033 leaves an item: no English title
    conn.sqlite.prepare(`UPDATE services SET result_name_en = NULL WHERE code = 'SZRS-0002'`).run()
    const { department: _d, onlineAvailable: _o, ...rest } = getGuide(conn, 'SZRS-0002')!
    expect('resultNameEn' in rest).toBe(false)
    tx(() => saveGuideDraft(conn, clerk, 'SZRS-0002', { ...rest, department: 'SZRS' }))
    tx(() => publishGuide(conn, clerk, 'SZRS-0002'))
    expect(checkPublishedVersions(conn).mismatches).toEqual([])
    expect(getGuide(conn, 'SZRS-0002')!.resultNameEn).toBeUndefined()
  })
})

/** The national guide's optional elements, as an editor states them for an item that had none. */
const OPTIONAL = {
  quantityLimit: '每人限申领一次。', handlingChannels: ['online', 'counter'], resultDelivery: ['electronic', 'post'],
  reviewCriteria: ['参保记录连续。'], intermediaryServices: [{ name: '职业健康检查', basis: '《职业病防治法》第三十五条' }],
  specialProcedures: [{ name: '公示', limitDays: 5, basis: '《就业补助资金管理办法》' }, { name: '听证', basis: '《行政许可法》第四十六条' }],
  faq: [{ question: '可以代办吗？', answer: '可以，凭委托书办理。' }], consultAddress: '市民中心B区咨询台', complaintAddress: '市民中心B区投诉窗口',
  resultReplacesEarlier: true,
}
const optionalOf = (g: ServiceGuide) => Object.fromEntries(OPTIONAL_GUIDE_KEYS.filter(k => k in g).map(k => [k, g[k]]))

describe('an editor stating the optional elements of the national guide', () => {
  it('saves them in a draft, publishes them to the guide and its version history, and removes them again', () => {
    const before = getGuide(conn, 'SZRS-0002')!
    expect(optionalOf(before)).toEqual({})
    const { department: _d, onlineAvailable: _o, ...rest } = before
    const materials = [{ ...before.materials[0]!, format: 'both', materialType: 'original_and_copy', paperSize: 'A4', blankFormAvailable: true }, ...before.materials.slice(1)]
    tx(() => saveGuideDraft(conn, clerk, 'SZRS-0002', { ...rest, department: 'SZRS', materials, ...OPTIONAL }))
    expect(optionalOf(getGuide(conn, 'SZRS-0002')!)).toEqual({})
    tx(() => publishGuide(conn, clerk, 'SZRS-0002'))
    const published = getGuide(conn, 'SZRS-0002')!
    expect(optionalOf(published)).toEqual(OPTIONAL)
    expect(published.materials[0]).toMatchObject({ materialType: 'original_and_copy', paperSize: 'A4', blankFormAvailable: true })
    const snapshot = conn.sqlite.prepare(`SELECT guide FROM service_versions WHERE service_code = 'SZRS-0002' AND status = 'published'`).get() as { guide: string }
    expect(optionalOf(JSON.parse(snapshot.guide) as ServiceGuide)).toEqual(OPTIONAL)

    // a guide saved without them (an older client, or an editor who emptied them) states none
    tx(() => saveGuideDraft(conn, clerk, 'SZRS-0002', { ...rest, department: 'SZRS', faq: [], quantityLimit: null }))
    tx(() => publishGuide(conn, clerk, 'SZRS-0002'))
    expect(optionalOf(getGuide(conn, 'SZRS-0002')!)).toEqual({})
  })

  it('creates a new item with them', () => {
    tx(() => createService(conn, admin, { ...newGuide(), ...OPTIONAL }))
    tx(() => publishGuide(conn, admin, 'SZRS-9001'))
    expect(optionalOf(getGuide(conn, 'SZRS-9001')!)).toEqual(OPTIONAL)
  })

  it('refuses them broken, field by field', () => {
    const e = (() => {
      try { tx(() => createService(conn, admin, { ...newGuide(), handlingChannels: ['counter'], specialProcedures: [{ name: '听证', limitDays: 0, basis: '《行政许可法》' }] })) }
      catch (err) { return err as CatalogueAdminError }
    })()
    expect(e?.problems?.map(p => `${p.field}:${p.message}`).sort()).toEqual(['handlingChannels:manage.rule.channelsDepth', 'specialProcedures[0].limitDays:manage.rule.specialLimit'])
  })
})

describe('a new form version', () => {
  it('leaves a case submitted with version 1 on version 1, still readable', () => {
    const caseNo = caseFor('SZRS-0001')
    const v1 = caseRow(caseNo).formVersionId
    const def = getGuide(conn, 'SZRS-0001')!.form!
    const v2def: FormDefinition = { ...def, fields: [...def.fields, { key: 'remark', type: 'textarea', label: { zh: '备注', en: 'Remark' }, required: false }] }
    const saved = tx(() => saveFormDraft(conn, admin, 'SZRS-0001', v2def))
    expect(saved).toMatchObject({ version: 2, problems: [] })
    tx(() => publishForm(conn, admin, 'SZRS-0001'))
    expect(getGuide(conn, 'SZRS-0001')!.form!.fields.at(-1)!.key).toBe('remark')
    expect(caseRow(caseNo).formVersionId).toBe(v1)
    const old = conn.sqlite.prepare('SELECT status, definition FROM form_versions WHERE id = ?').get(v1) as { status: string, definition: string }
    expect(old.status).toBe('superseded')
    expect(JSON.parse(old.definition)).toEqual(def)
  })

  it('cannot be published while the definition has problems', () => {
    const broken = { version: 1, fields: [{ key: 'kind', type: 'select', label: { zh: '类型', en: 'Kind' }, required: true }] } as FormDefinition
    expect(tx(() => saveFormDraft(conn, admin, 'SZRS-0001', broken)).problems.length).toBeGreaterThan(0)
    const e = (() => {
      try { tx(() => publishForm(conn, admin, 'SZRS-0001')) }
      catch (err) { return err }
    })() as CatalogueAdminError
    expect(e.statusCode).toBe(400)
    expect(e.problems![0]!.field).toBe('form.fields[0].options')
    expect(getGuide(conn, 'SZRS-0001')!.form!.fields.length).toBeGreaterThan(1)
  })
})

describe('withdrawing an item', () => {
  it('hides it from search and the guide, leaves its open case untouched, and can be restored', () => {
    const caseNo = caseFor('SZRS-0003')
    const before = caseRow(caseNo)
    tx(() => setServiceStatus(conn, admin, 'SZRS-0003', 'withdrawn'))
    expect(searchServices(conn, { dept: 'SZRS', page: 1, pageSize: 100 }).items.map(i => i.code)).not.toContain('SZRS-0003')
    expect(getGuide(conn, 'SZRS-0003')).toBeNull()
    expect(getGuide(conn, 'SZRS-0003', true)!.form).not.toBeNull()
    expect(caseRow(caseNo)).toEqual(before)
    expect(audits('catalogue.withdraw')).toEqual(['SZRS-0003'])
    expect(() => tx(() => setServiceStatus(conn, admin, 'SZRS-0003', 'withdrawn'))).toThrow(expect.objectContaining({ statusCode: 409 }))
    tx(() => setServiceStatus(conn, admin, 'SZRS-0003', 'published'))
    expect(getGuide(conn, 'SZRS-0003')).not.toBeNull()
    expect(audits('catalogue.restore')).toEqual(['SZRS-0003'])
  })
})

describe('importing a catalogue file', () => {
  const countRows = () => conn.sqlite.prepare('SELECT (SELECT count(*) FROM services) AS s, (SELECT count(*) FROM service_versions) AS v, (SELECT count(*) FROM form_versions) AS f').get()

  it('reports every problem by item and field in a dry run and writes nothing', () => {
    const before = countRows()
    const items = [
      { ...newGuide('NEW-1'), visits: 2 },
      newGuide('NEW-2'),
      { ...newGuide('NEW-2'), materials: [{ name: '证明', required: true, format: 'paper', copies: 0, source: 'applicant' }] },
      { ...newGuide(), code: undefined },
    ]
    const result = tx(() => importCatalogue(conn, admin, items, { dryRun: true }))
    expect(result.ok).toBe(false)
    expect(result.problems).toEqual(expect.arrayContaining([
      { code: 'NEW-1', field: 'visitsReason', message: 'manage.rule.visitsReasonRequired' },
      { code: 'NEW-1', field: 'onlineDepth', message: 'manage.rule.depth4NeedsNoVisit' },
      { code: 'NEW-2', field: 'materials[0].copies', message: 'manage.rule.copies' },
      { code: 'NEW-2', field: 'code', message: 'manage.rule.codeDuplicate' },
      { code: '#4', field: 'code', message: 'manage.rule.required' },
    ]))
    expect(result.problems.some(p => p.code === 'NEW-2' && p.field !== 'code' && p.field !== 'materials[0].copies')).toBe(false)
    expect(countRows()).toEqual(before)
    expect(tx(() => importCatalogue(conn, admin, [newGuide('NEW-3')], { dryRun: true }))).toMatchObject({ ok: true, problems: [] })
    expect(countRows()).toEqual(before)
  })

  it('refuses a code that differs from an item\'s only in letter case, and a duplicate in any case', () => {
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0004')!
    const result = tx(() => importCatalogue(conn, admin, [{ ...exported, code: 'szrs-0004' }, newGuide('NEW-9'), newGuide('new-9')], { dryRun: true }))
    expect(result.problems).toEqual([
      { code: 'szrs-0004', field: 'code', message: 'manage.rule.codeCase' },
      { code: 'new-9', field: 'code', message: 'manage.rule.codeDuplicate' },
    ])
  })

  it('writes nothing when one item of the batch is bad', () => {
    const before = countRows()
    const result = tx(() => importCatalogue(conn, admin, [newGuide('NEW-1'), { ...newGuide('NEW-2'), department: 'NOPE' }], { dryRun: false }))
    expect(result.ok).toBe(false)
    expect(countRows()).toEqual(before)
    expect(getGuide(conn, 'NEW-1')).toBeNull()
  })

  it('writes a good batch: new items published, an existing code as its next version with a new form version', () => {
    const caseNo = caseFor('SZRS-0004')
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0004')!
    const changed = { ...exported, name: '社会保障卡申领（新）', form: { ...exported.form!, fields: exported.form!.fields.slice(0, 3) } }
    const result = tx(() => importCatalogue(conn, admin, [newGuide('NEW-1'), changed], { dryRun: false }))
    expect(result).toEqual({ ok: true, problems: [], created: 1, updated: 1, republished: [] })
    expect(getGuide(conn, 'NEW-1')!.onlineAvailable).toBe(true)
    const updated = getGuide(conn, 'SZRS-0004')!
    expect(updated.name).toBe('社会保障卡申领（新）')
    expect(updated.form!.fields).toHaveLength(3)
    const managed = getManagedService(conn, admin, 'SZRS-0004')!
    expect(managed.version).toBe(2)
    expect(managed.publishedForm!.version).toBe(2)
    expect(caseRow(caseNo).formVersionId).not.toBe(managed.publishedForm!.id)
    expect(audits('catalogue.import')).toHaveLength(1)
  })

  it('publishes a withdrawn item it imports, as the contract says, and names it in the dry run first', () => {
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0003')!
    tx(() => setServiceStatus(conn, admin, 'SZRS-0003', 'withdrawn'))
    expect(getGuide(conn, 'SZRS-0003')).toBeNull()
    expect(tx(() => importCatalogue(conn, admin, [exported], { dryRun: true }))).toMatchObject({ ok: true, republished: ['SZRS-0003'] })
    expect(getGuide(conn, 'SZRS-0003')).toBeNull()
    expect(tx(() => importCatalogue(conn, admin, [exported], { dryRun: false }))).toMatchObject({ ok: true, updated: 1, republished: ['SZRS-0003'] })
    expect(getGuide(conn, 'SZRS-0003')!.name).toBe(exported.name)
  })

  it('finds every item of a large batch in search afterwards, the index rebuilt once', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ ...newGuide(`BATCH-${i}`), name: `批量导入测试事项${i}` }))
    expect(tx(() => importCatalogue(conn, admin, items, { dryRun: false }))).toMatchObject({ ok: true, created: 30 })
    expect(searchServices(conn, { q: '批量导入测试', page: 1, pageSize: 100 }).total).toBe(30)
    expect(searchServices(conn, { q: '事项29', page: 1, pageSize: 100 }).items.map(s => s.code)).toEqual(['BATCH-29'])
    const renamed = items.map(g => ({ ...g, name: `${g.name as string}（新版）` }))
    tx(() => importCatalogue(conn, admin, renamed, { dryRun: false }))
    // one row per item in the full-text index, not an old and a new one
    expect(searchServices(conn, { q: '批量导入测试', page: 1, pageSize: 100 }).total).toBe(30)
    expect(searchServices(conn, { q: '（新版）', page: 1, pageSize: 100 }).total).toBe(30)
  })

  it('will not let an editor\'s older draft silently undo an import: publishing it is refused until it is saved again', () => {
    const before = getGuide(conn, 'SZRS-0002')!
    const { department: _d, onlineAvailable: _o, ...rest } = before
    // minutes after the seed's own versions were published (at the real time the database was made)
    const start = Date.now() + 60_000
    const at = (minute: number) => new Date(start + minute * 60_000)
    tx(() => saveGuideDraft(conn, admin, 'SZRS-0002', { ...rest, department: 'SZRS', name: '编辑中的旧草稿' }, at(0)))
    tx(() => saveFormDraft(conn, admin, 'SZRS-0002', { ...before.form!, fields: before.form!.fields.slice(0, 2) }, at(0)))
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0002')!
    const imported = { ...exported, name: '导入的新版本', form: { ...exported.form!, fields: exported.form!.fields.slice(0, 3) } }
    tx(() => importCatalogue(conn, admin, [imported], { dryRun: false }, at(5)))
    const refused = (() => {
      try { tx(() => publishGuide(conn, admin, 'SZRS-0002', at(10))) }
      catch (e) { return e as CatalogueAdminError }
    })()
    expect(refused).toMatchObject({ statusCode: 409, problems: [{ code: 'SZRS-0002', field: 'version', message: 'manage.rule.draftOvertaken' }] })
    expect(() => tx(() => publishForm(conn, admin, 'SZRS-0002', at(10)))).toThrow(expect.objectContaining({ statusCode: 409 }))
    expect(getGuide(conn, 'SZRS-0002')!.name).toBe('导入的新版本')
    expect(getGuide(conn, 'SZRS-0002')!.form!.fields).toHaveLength(3)
    // saved again after comparing: the editor's choice, and it publishes
    tx(() => saveGuideDraft(conn, admin, 'SZRS-0002', { ...rest, department: 'SZRS', name: '核对后的版本' }, at(11)))
    tx(() => publishGuide(conn, admin, 'SZRS-0002', at(12)))
    expect(getGuide(conn, 'SZRS-0002')!.name).toBe('核对后的版本')
  })

  it('will not let an editor\'s older form draft bring back the online application an import removed', () => {
    const before = getGuide(conn, 'SZRS-0002')!
    const start = Date.now() + 60_000
    const at = (minute: number) => new Date(start + minute * 60_000)
    const draft = tx(() => saveFormDraft(conn, admin, 'SZRS-0002', { ...before.form!, fields: before.form!.fields.slice(0, 2) }, at(0)))
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0002')!
    tx(() => importCatalogue(conn, admin, [{ ...exported, form: null }], { dryRun: false }, at(5)))
    expect(getGuide(conn, 'SZRS-0002')!.form).toBeNull()
    // the draft written against the removed form is set aside, audited, and kept in the history
    expect(() => tx(() => publishForm(conn, admin, 'SZRS-0002', at(10)))).toThrow(expect.objectContaining({ statusCode: 409 }))
    expect(getGuide(conn, 'SZRS-0002')!.form).toBeNull()
    const managed = getManagedService(conn, admin, 'SZRS-0002')!
    expect(managed.formDraft).toBeNull()
    expect(managed.history).toContainEqual(expect.objectContaining({ kind: 'form', version: draft.version, status: 'superseded', publishedAt: null }))
    expect(audits('form.draftDiscard')).toEqual(['SZRS-0002'])
    // an editor who still wants a form saves it again, and it publishes
    tx(() => saveFormDraft(conn, admin, 'SZRS-0002', before.form!, at(11)))
    tx(() => publishForm(conn, admin, 'SZRS-0002', at(12)))
    expect(getGuide(conn, 'SZRS-0002')!.form).toEqual(before.form)
  })

  it('keeps a form draft when the import leaves an item without a form as it was', () => {
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0002')!
    tx(() => importCatalogue(conn, admin, [{ ...exported, form: null }], { dryRun: false }))
    tx(() => saveFormDraft(conn, admin, 'SZRS-0002', exported.form!))
    tx(() => importCatalogue(conn, admin, [{ ...exported, form: null, name: '再次导入' }], { dryRun: false }))
    expect(getManagedService(conn, admin, 'SZRS-0002')!.formDraft).not.toBeNull()
    expect(audits('form.draftDiscard')).toEqual([])
  })

  it('carries the optional elements out and back in: an export imported as it is changes none, an edited one changes them', () => {
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0004')!
    expect(exported).toMatchObject({ quantityLimit: expect.any(String), handlingChannels: ['online', 'counter'], faq: expect.any(Array) })
    expect(exported.materials[0]!.materialType).toBe('original')
    tx(() => importCatalogue(conn, admin, [exported], { dryRun: false }))
    const again = getGuide(conn, 'SZRS-0004')!
    expect(optionalOf(again)).toEqual(optionalOf(exported))
    expect(again.materials).toEqual(exported.materials)

    const edited = { ...exported, ...OPTIONAL, materials: [{ ...exported.materials[0]!, materialType: 'copy' }, ...exported.materials.slice(1)] }
    expect(tx(() => importCatalogue(conn, admin, [edited], { dryRun: false }))).toMatchObject({ ok: true, updated: 1 })
    expect(optionalOf(getGuide(conn, 'SZRS-0004')!)).toEqual(OPTIONAL)
    expect(getGuide(conn, 'SZRS-0004')!.materials[0]!.materialType).toBe('copy')
    expect(optionalOf(exportCatalogue(conn).services.find(s => s.code === 'SZRS-0004')!)).toEqual(OPTIONAL)
  })

  it('imports a file written before the optional elements, and one with them broken reports them', () => {
    const old = newGuide('OLD-1')
    expect(tx(() => importCatalogue(conn, admin, [old], { dryRun: false }))).toMatchObject({ ok: true, created: 1 })
    expect(optionalOf(getGuide(conn, 'OLD-1')!)).toEqual({})
    const result = tx(() => importCatalogue(conn, admin, [{ ...newGuide('NEW-1'), resultDelivery: ['post', 'drone'] }], { dryRun: true }))
    expect(result.problems).toEqual([{ code: 'NEW-1', field: 'resultDelivery[1]', message: 'manage.rule.enum' }])
  })

  it('takes its own export back without a problem and without new form versions', () => {
    const { services } = exportCatalogue(conn)
    expect(services.length).toBeGreaterThanOrEqual(150)
    const forms = (conn.sqlite.prepare('SELECT count(*) AS n FROM form_versions').get() as { n: number }).n
    const result = tx(() => importCatalogue(conn, admin, services, { dryRun: false }))
    expect(result).toMatchObject({ ok: true, updated: services.length, created: 0 })
    expect((conn.sqlite.prepare('SELECT count(*) AS n FROM form_versions').get() as { n: number }).n).toBe(forms)
  })
})

describe('a form builder that says which form it was opened on', () => {
  const start = Date.now() + 60_000
  const at = (minute: number) => new Date(start + minute * 60_000)
  const refusal = (fn: () => unknown) => {
    try { tx(fn) }
    catch (e) { return e as CatalogueAdminError }
  }

  it('is refused, save and publish, once an import published another form since, and goes on from the new one', () => {
    const before = getGuide(conn, 'SZRS-0002')!
    const opened = getManagedService(conn, admin, 'SZRS-0002')!.publishedForm!.id
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0002')!
    tx(() => importCatalogue(conn, admin, [{ ...exported, form: { ...exported.form!, fields: exported.form!.fields.slice(0, 3) } }], { dryRun: false }, at(5)))
    const mine = { ...before.form!, fields: before.form!.fields.slice(0, 2) }
    expect(refusal(() => saveFormDraft(conn, admin, 'SZRS-0002', mine, at(10), { basedOn: opened })))
      .toMatchObject({ statusCode: 409, problems: [{ code: 'SZRS-0002', field: 'form', message: 'manage.rule.draftOvertaken' }] })
    expect(refusal(() => publishForm(conn, admin, 'SZRS-0002', at(10), { basedOn: opened }))).toMatchObject({ statusCode: 409 })
    expect(getGuide(conn, 'SZRS-0002')!.form!.fields).toHaveLength(3)
    const inForce = getManagedService(conn, admin, 'SZRS-0002')!.publishedForm!.id
    tx(() => saveFormDraft(conn, admin, 'SZRS-0002', mine, at(11), { basedOn: inForce }))
    tx(() => publishForm(conn, admin, 'SZRS-0002', at(12), { basedOn: inForce }))
    expect(getGuide(conn, 'SZRS-0002')!.form!.fields).toHaveLength(2)
  })

  it('is refused once an import removed the form, and one opened on no form once a form was published', () => {
    const opened = getManagedService(conn, admin, 'SZRS-0002')!.publishedForm!.id
    const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0002')!
    tx(() => importCatalogue(conn, admin, [{ ...exported, form: null }], { dryRun: false }, at(5)))
    expect(refusal(() => saveFormDraft(conn, admin, 'SZRS-0002', exported.form!, at(10), { basedOn: opened }))).toMatchObject({ statusCode: 409 })
    expect(getGuide(conn, 'SZRS-0002')!.form).toBeNull()
    tx(() => importCatalogue(conn, admin, [exported], { dryRun: false }, at(15)))
    expect(refusal(() => saveFormDraft(conn, admin, 'SZRS-0002', FORM, at(20), { basedOn: null }))).toMatchObject({ statusCode: 409 })
    expect(getManagedService(conn, admin, 'SZRS-0002')!.formDraft).toBeNull()
  })
})

describe('two editors of one item, each saving and publishing the draft they last loaded', () => {
  const start = Date.now() + 60_000
  const at = (minute: number) => new Date(start + minute * 60_000)
  const refusal = (fn: () => unknown) => {
    try { tx(fn) }
    catch (e) { return e as CatalogueAdminError }
  }
  const DRAFT_CHANGED = { statusCode: 409, problems: [{ code: 'SZRS-0002', field: 'revision', message: 'manage.rule.draftChanged' }] }
  /** The item as an editor opens it: the guide it edits and the revision of the draft it shows (null: none). */
  const open = (who: Actor) => {
    const m = getManagedService(conn, who, 'SZRS-0002')!
    // a draft is stored without the derived onlineAvailable, the guide in force with it
    const { department: _d, onlineAvailable: _o, ...rest } = (m.draft?.guide ?? m.current) as ServiceGuide
    return { guide: { ...rest, department: 'SZRS' }, revision: m.draft?.revision ?? null }
  }
  const fee = { name: '工本费', amount: '10元', basis: '《深圳市行政事业性收费目录》' }
  const step = { name: '领取结果', description: '到窗口领取。' }

  it('refuses the second save made on the draft as it was before the first, keeping the first editor\'s change', () => {
    const a = open(clerk)
    const b = open(admin)
    expect(tx(() => saveGuideDraft(conn, clerk, 'SZRS-0002', { ...a.guide, fees: [fee] }, at(1), { revision: a.revision }))).toMatchObject({ version: 2 })
    expect(refusal(() => saveGuideDraft(conn, admin, 'SZRS-0002', { ...b.guide, steps: [...b.guide.steps, step] }, at(2), { revision: b.revision })))
      .toMatchObject(DRAFT_CHANGED)
    expect(getManagedService(conn, admin, 'SZRS-0002')!.draft!.guide).toMatchObject({ fees: [fee], steps: b.guide.steps })

    // loaded again, the second editor's change goes on top of the first one's
    const again = open(admin)
    const saved = tx(() => saveGuideDraft(conn, admin, 'SZRS-0002', { ...again.guide, steps: [...again.guide.steps, step] }, at(3), { revision: again.revision }))
    expect(getManagedService(conn, admin, 'SZRS-0002')!.draft).toMatchObject({ revision: saved.revision, guide: { fees: [fee], steps: [...b.guide.steps, step] } })
  })

  it('will not publish a draft the editor has not seen: refused, and nothing is published', () => {
    const before = getGuide(conn, 'SZRS-0002')!
    const first = tx(() => saveGuideDraft(conn, clerk, 'SZRS-0002', { ...open(clerk).guide, fees: [fee] }, at(1), { revision: null }))
    // the other editor saves steps over the draft the first one still shows
    const theirs = open(admin)
    tx(() => saveGuideDraft(conn, admin, 'SZRS-0002', { ...theirs.guide, steps: [step] }, at(2), { revision: theirs.revision }))
    expect(refusal(() => publishGuide(conn, clerk, 'SZRS-0002', at(3), { revision: first.revision }))).toMatchObject(DRAFT_CHANGED)
    expect(getGuide(conn, 'SZRS-0002')).toEqual(before)
    expect(audits('catalogue.publish')).toEqual([])

    const seen = open(clerk)
    expect(tx(() => publishGuide(conn, clerk, 'SZRS-0002', at(4), { revision: seen.revision })).version).toBe(2)
    expect(getGuide(conn, 'SZRS-0002')).toMatchObject({ fees: [fee], steps: [step] })
    // published meanwhile, the draft is gone: an older copy of it saved again would undo the publication
    expect(refusal(() => saveGuideDraft(conn, admin, 'SZRS-0002', theirs.guide, at(5), { revision: theirs.revision }))).toMatchObject(DRAFT_CHANGED)
    expect(getManagedService(conn, admin, 'SZRS-0002')!.draft).toBeNull()
  })

  it('does the same for the form draft, also for two saves in the same millisecond', () => {
    const form = getGuide(conn, 'SZRS-0002')!.form!
    const inForce = getManagedService(conn, admin, 'SZRS-0002')!.publishedForm!.id
    const first = tx(() => saveFormDraft(conn, clerk, 'SZRS-0002', { ...form, fields: form.fields.slice(0, 2) }, at(1), { basedOn: inForce, revision: null }))
    const second = tx(() => saveFormDraft(conn, admin, 'SZRS-0002', { ...form, fields: form.fields.slice(0, 3) }, at(1), { basedOn: inForce, revision: first.revision }))
    expect(second.revision).not.toBe(first.revision)
    expect(refusal(() => saveFormDraft(conn, clerk, 'SZRS-0002', { ...form, fields: form.fields.slice(0, 1) }, at(1), { basedOn: inForce, revision: first.revision })))
      .toMatchObject(DRAFT_CHANGED)
    expect(refusal(() => publishForm(conn, clerk, 'SZRS-0002', at(2), { basedOn: inForce, revision: first.revision }))).toMatchObject(DRAFT_CHANGED)
    expect(getGuide(conn, 'SZRS-0002')!.form).toEqual(form)
    expect(getManagedService(conn, admin, 'SZRS-0002')!.formDraft!.definition.fields).toHaveLength(3)

    tx(() => publishForm(conn, clerk, 'SZRS-0002', at(3), { basedOn: inForce, revision: second.revision }))
    expect(getGuide(conn, 'SZRS-0002')!.form!.fields).toHaveLength(3)
  })
})
