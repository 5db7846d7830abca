/**
 * 法人库核验: an organisation a person acts for, checked against the city's legal-entity base data,
 * as the person's account page and the department's case page tell it; and the base data loaded
 * as the registration authority shares it.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { DEMO_LEGAL_ENTITIES } from '../../db/seed/legal-entities'
import { importLegalEntities, legalEntitiesFreshness, legalEntitySchema, organizationCheck } from '../../server/services/legal-entities'
import type { AccountHolder } from '../../server/services/legal-entities'
import { addOrganization, listOrganizations } from '../../server/services/registration'
import { makeUscc } from '../../shared/utils/uscc'
import { freshDatabase, userIdOf } from '../support/db'

const [XIAOMING, , PENGCHENG, CLOSED, REVOKED] = DEMO_LEGAL_ENTITIES as typeof DEMO_LEGAL_ENTITIES[number][]
/** 张晓明, the demo citizen, the legal representative of XIAOMING, with the mobile verified. */
const ZHANG: AccountHolder = { idNumber: '440305199003072319', idNumberProven: true }

let conn: Connection
beforeEach(() => { conn = freshDatabase() })

const checkOf = (org: { name: string, uscc: string }, holder: AccountHolder | null = ZHANG) => organizationCheck(conn, org, holder)
const auditOfLoads = () => (conn.sqlite.prepare(`SELECT actor_role AS role, detail FROM audit_log WHERE action = 'base.legalEntities.import' ORDER BY id`).all() as { role: string, detail: string }[])
  .map(a => ({ role: a.role, detail: JSON.parse(a.detail) as Record<string, unknown> }))

describe('an organisation checked against the base data', () => {
  it('names its legal representative only with the ID number proven by a verified mobile', () => {
    expect(checkOf(XIAOMING!)).toEqual({ kind: 'legalRepresentative' })
    // anyone may type an ID number at registration
    expect(checkOf(XIAOMING!, { ...ZHANG, idNumberProven: false })).toEqual({ kind: 'registered' })
    expect(checkOf(XIAOMING!, { idNumber: '44030419881115002X', idNumberProven: true })).toEqual({ kind: 'registered' })
    // at the counter, nobody's account
    expect(checkOf(XIAOMING!, null)).toEqual({ kind: 'registered' })
  })

  it('takes the registered name however the brackets and spaces were typed, and says the registered one when it differs', () => {
    expect(PENGCHENG!.name).toBe('深圳市鹏城物流（集团）有限公司')
    expect(checkOf({ name: '深圳市鹏城物流(集团)有限公司 ', uscc: PENGCHENG!.uscc })).toEqual({ kind: 'registered' })
    expect(checkOf({ name: '深圳市鹏城物流有限公司', uscc: PENGCHENG!.uscc })).toEqual({ kind: 'nameMismatch', registeredName: '深圳市鹏城物流（集团）有限公司' })
  })

  it('says an entity deregistered or revoked, with the day, whatever the name typed', () => {
    expect(checkOf({ name: '随便', uscc: CLOSED!.uscc })).toEqual({ kind: 'inactive', status: 'deregistered', statusDate: '2025-06-30', registeredName: CLOSED!.name })
    expect(checkOf(REVOKED!)).toEqual({ kind: 'inactive', status: 'revoked', statusDate: '2024-11-15', registeredName: REVOKED!.name })
  })

  it('says a code the city has not registered, without refusing it', () => {
    expect(checkOf({ name: '广州市某某有限公司', uscc: '9144030071526726XG' })).toEqual({ kind: 'notFound' })
  })

  it('is given with every organisation on the account, and never the representative\'s ID number', () => {
    const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
    const added = addOrganization(conn, citizen, { name: XIAOMING!.name, uscc: XIAOMING!.uscc })
    expect(added).toMatchObject({ ok: true, organization: { check: { kind: 'legalRepresentative' } } })
    addOrganization(conn, citizen, { name: PENGCHENG!.name, uscc: PENGCHENG!.uscc })
    const listed = listOrganizations(conn, citizen.id)
    expect(listed.map(o => o.check.kind)).toEqual(['legalRepresentative', 'registered'])
    expect(JSON.stringify(listed)).not.toContain(PENGCHENG!.representativeIdNumber)
  })
})

describe('the base data loaded from the registration authority', () => {
  const entity = { uscc: PENGCHENG!.uscc, name: PENGCHENG!.name, legalRepresentative: '张晓明', representativeIdNumber: '440305199003072319', status: 'active' as const }

  it('adds, replaces and counts, so a new legal representative is seen at once, audited with the counts only', () => {
    expect(checkOf(PENGCHENG!)).toEqual({ kind: 'registered' })
    const founded = legalEntitySchema.parse({ uscc: makeUscc('91440300MA5R00009'), name: '深圳市新设科技有限公司', legalRepresentative: '王新', status: 'active' })
    // 鹏城物流 now has 张晓明 as its legal representative
    const changed = legalEntitySchema.parse(entity)
    expect(importLegalEntities(conn, [changed, founded])).toEqual({ added: 1, changed: 1, unchanged: 0 })
    expect(checkOf(PENGCHENG!)).toEqual({ kind: 'legalRepresentative' })
    expect(checkOf({ name: '深圳市新设科技有限公司', uscc: founded.uscc }, null)).toEqual({ kind: 'registered' })
    expect(importLegalEntities(conn, [changed])).toEqual({ added: 0, changed: 0, unchanged: 1 })
    const audit = auditOfLoads()
    expect(audit.map(a => [a.role, a.detail])).toEqual([
      ['console', { added: 1, changed: 1, unchanged: 0, load: expect.any(String), part: 1, parts: 1 }],
      ['console', { added: 0, changed: 0, unchanged: 1, load: expect.any(String), part: 1, parts: 1 }],
    ])
    expect(JSON.stringify(audit)).not.toMatch(/440305|张晓明|鹏城|新设/)
  })

  const founded = (n: number) => legalEntitySchema.parse({ uscc: makeUscc(`91440300MA5R1${String(n).padStart(4, '0')}`), name: `深圳市分批${n}号有限公司`, legalRepresentative: '王新', status: 'active' })

  it('writes a large file in parts, each audited in its own transaction with its place in the load', () => {
    const file = [1, 2, 3, 4, 5].map(founded)
    expect(importLegalEntities(conn, file, { partSize: 2 })).toEqual({ added: 5, changed: 0, unchanged: 0 })
    const audit = auditOfLoads()
    expect(audit.map(a => a.detail)).toEqual([
      { added: 2, changed: 0, unchanged: 0, load: audit[0]!.detail.load, part: 1, parts: 3 },
      { added: 2, changed: 0, unchanged: 0, load: audit[0]!.detail.load, part: 2, parts: 3 },
      { added: 1, changed: 0, unchanged: 0, load: audit[0]!.detail.load, part: 3, parts: 3 },
    ])
    expect(file.map(e => checkOf(e, null))).toEqual(file.map(() => ({ kind: 'registered' })))
  })

  it('keeps the parts written before a load stopped, audited, and finishes it when the same file is loaded again', () => {
    const file = [1, 2, 3, 4, 5].map(founded)
    // the third entity cannot be written: the load stops in its second part
    conn.sqlite.exec(`CREATE TEMP TRIGGER stop_load BEFORE INSERT ON legal_entities WHEN NEW.uscc = '${file[2]!.uscc}' BEGIN SELECT RAISE(ABORT, 'stopped'); END`)
    expect(() => importLegalEntities(conn, file, { partSize: 2 })).toThrow('stopped')
    expect(file.map(e => checkOf(e, null).kind)).toEqual(['registered', 'registered', 'notFound', 'notFound', 'notFound'])
    expect(auditOfLoads().map(a => [a.detail.added, a.detail.part, a.detail.parts])).toEqual([[2, 1, 3]])

    conn.sqlite.exec('DROP TRIGGER temp.stop_load')
    expect(importLegalEntities(conn, file, { partSize: 2 })).toEqual({ added: 3, changed: 0, unchanged: 2 })
    expect(file.map(e => checkOf(e, null).kind)).toEqual(file.map(() => 'registered'))
  })

  it('tells the health check that the data is there and when it was last loaded, none for data never loaded', () => {
    expect(legalEntitiesFreshness(freshDatabase({ demo: false }))).toEqual({ loaded: false, lastLoadAt: null })
    // the demo's is seeded, not loaded
    expect(legalEntitiesFreshness(conn)).toEqual({ loaded: true, lastLoadAt: null })
    importLegalEntities(conn, [legalEntitySchema.parse(entity)])
    const at = conn.sqlite.prepare(`SELECT at FROM audit_log WHERE action = 'base.legalEntities.import'`).pluck().get()
    expect(legalEntitiesFreshness(conn)).toEqual({ loaded: true, lastLoadAt: at })
  })

  it('deregisters an entity by its status and day, which an organisation on an account then shows', () => {
    const closed = legalEntitySchema.parse({ ...entity, status: 'deregistered', statusDate: '2026-12-01' })
    importLegalEntities(conn, [closed])
    expect(checkOf(PENGCHENG!)).toEqual({ kind: 'inactive', status: 'deregistered', statusDate: '2026-12-01', registeredName: PENGCHENG!.name })
  })

  it('refuses an entity that cannot be right, each problem at its field', () => {
    const problems = (e: Record<string, unknown>) => {
      const r = legalEntitySchema.safeParse(e)
      return r.success ? [] : r.error.issues.map(i => [i.path.join('.'), i.message])
    }
    expect(problems({ ...entity, status: 'deregistered' })).toEqual([['statusDate', 'validation.legalEntity.statusDate']])
    expect(problems({ ...entity, statusDate: '2026-12-01' })).toEqual([['statusDate', 'validation.legalEntity.activeDate']])
    expect(problems({ ...entity, status: 'closed' })).toEqual([['status', 'validation.legalEntity.status']])
    expect(problems({ ...entity, representativeIdNumber: '440305199003072318' })).toEqual([['representativeIdNumber', 'validation.idNumber.checksum']])
    expect(problems({ ...entity, uscc: '9144030071526726XH' })).toEqual([['uscc', 'validation.uscc.checksum']])
    expect(problems({ ...entity, name: '' })).toEqual([['name', 'validation.required']])
  })
})
