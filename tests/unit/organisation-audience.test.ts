/**
 * Who a case and its e-licence are for, held at every step and not only where the application
 * begins: a draft submitted after the item's audience changed, an organisation's item taken in at
 * the counter, a correction of such a counter case, and what the audit log keeps of each.
 */
import { randomBytes } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { DEMO_LEGAL_ENTITIES } from '../../db/seed/legal-entities'
import { ApplicationError } from '../../server/services/application-errors'
import { createDraft, getOwnApplication, saveDraft, submitApplication } from '../../server/services/applications'
import { CaseError } from '../../server/services/case-errors'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { receiveCase } from '../../server/services/case-intake'
import { receiveCounterCase } from '../../server/services/counter'
import { registerPerson } from '../../server/services/registration'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { intakeDefinition } from '../../shared/utils/form-schema'
import { makeUscc } from '../../shared/utils/uscc'
import { freshDatabase, userIdOf } from '../support/db'

const CITIZEN = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
/** someone with no portal account: the clerk makes the corrections of their counter case */
const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const FIRM = { name: '深圳市示例律师事务所', uscc: makeUscc('31440000MA5G12345') }
const OTHER = { name: '深圳市另一家公司', uscc: makeUscc('91440300MA5G54321') }
const now = new Date('2026-03-02T02:00:00Z')
/** The code with another check character: the right shape, a wrong checksum. */
const wrongCheck = (code: string) => code.slice(0, 17) + (code[17] === '0' ? '1' : '0')

type User = TransitionInput['user']
let conn: Connection
let citizen: { id: number, role: 'citizen' }

const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

function upload(owner: number): string {
  const id = randomBytes(16).toString('base64url')
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES (?, ?, 'scan.pdf', 1000, 'application/pdf', 'x', ?, '2026-03-01T00:00:00.000Z')`)
    .run(id, owner, id)
  return id
}

function addOrganization(org: { name: string, uscc: string }): number {
  return Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(citizen.id, org.name, org.uscc).lastInsertRowid)
}

function clerkOf(departmentCode: string): User {
  const id = Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES (?, 'x', 'clerk', ?, '受理员')`)
    .run(`clerk-${departmentCode.toLowerCase()}`, departmentCode).lastInsertRowid)
  return { id, role: 'clerk', departmentCode }
}

function act(caseNo: string, by: User, action: TransitionInput['action'], extra: Partial<TransitionInput> = {}) {
  const version = (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version
  return applyTransition(conn, { caseNo, action, version, user: by, now, ...extra })
}

function refusal<E extends Error>(type: new (...args: never[]) => E, fn: () => unknown): E {
  try { fn() }
  catch (e) {
    if (e instanceof type) return e
    throw e
  }
  throw new Error('expected a refusal')
}

const auditDetail = (action: string, subject: string) => JSON.parse((conn.sqlite.prepare('SELECT detail FROM audit_log WHERE action = ? AND subject = ?')
  .get(action, subject) as { detail: string }).detail) as Record<string, unknown>

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
})

/** SZGA-0013 (机动车检验标志, for people and organisations), complete. */
const vehicle = () => ({ ...CITIZEN, plateNo: '粤B12345', vehicleType: 'small', registerDate: '2020-01-01', insuranceConfirmed: true, compulsoryTrafficAccidentFile: [upload(citizen.id)] })

describe('a draft is submitted only while the item\'s audience still fits it', () => {
  const audience = (a: string) => conn.sqlite.prepare(`UPDATE services SET audience = ? WHERE code = 'SZGA-0013'`).run(a)
  const cases = () => conn.sqlite.prepare(`SELECT count(*) FROM cases WHERE service_code = 'SZGA-0013'`).pluck().get()

  it('an organisation\'s draft is not submitted once the item is for people only; the draft stays', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0013', answers: vehicle(), organizationId: addOrganization(OTHER) }))
    audience('person')
    const e = refusal(ApplicationError, () => tx(() => submitApplication(conn, citizen, draft.id)))
    expect(e.statusCode).toBe(409)
    expect(e.fieldErrors).toEqual({ organizationId: 'validation.audienceNowPerson' })
    expect(cases()).toBe(0)
    expect(getOwnApplication(conn, draft.id, citizen.id)).toMatchObject({ status: 'draft', caseNo: null })
  })

  it('a person\'s own draft is not submitted once the item is for organisations only', () => {
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0013', answers: vehicle() }))
    audience('organization')
    const e = refusal(ApplicationError, () => tx(() => submitApplication(conn, citizen, draft.id)))
    expect(e.statusCode).toBe(409)
    expect(e.fieldErrors).toEqual({ organizationId: 'validation.audienceNowOrganization' })
    expect(cases()).toBe(0)
    expect(getOwnApplication(conn, draft.id, citizen.id)!.status).toBe('draft')
  })

  it('a draft whose audience still fits is submitted, and the audit log says for which organisation', () => {
    const orgId = addOrganization(OTHER)
    const forOrg = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0013', answers: vehicle(), organizationId: orgId }))
    const own = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0013', answers: vehicle() }))
    audience('both')
    const a = tx(() => submitApplication(conn, citizen, forOrg.id, null, now))
    const b = tx(() => submitApplication(conn, citizen, own.id, null, now))
    expect(auditDetail('application.create', forOrg.id)).toMatchObject({ serviceCode: 'SZGA-0013', organizationId: orgId })
    expect(auditDetail('application.create', own.id)).toMatchObject({ organizationId: null })
    expect(auditDetail('case.submit', a.caseNo)).toMatchObject({ channel: 'online', organizationId: orgId })
    expect(auditDetail('case.submit', b.caseNo)).toMatchObject({ channel: 'online', organizationId: null })
  })
})

describe('an organisation\'s case, checked against the legal-entity base data (法人库)', () => {
  it('tells the department what the base data says of it today, for the applicant\'s account', () => {
    const own = DEMO_LEGAL_ENTITIES[0]!
    const submit = (orgId: number) => tx(() => submitApplication(conn, citizen, tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0013', answers: vehicle(), organizationId: orgId })).id, null, now)).caseNo
    const represented = submit(addOrganization({ name: own.name, uscc: own.uscc }))
    const unknown = submit(addOrganization(OTHER))
    const clerk = clerkOf('SZGA')
    const read = (caseNo: string) => caseDetail(conn, findVisibleCase(conn, caseNo, clerk)!, clerk, now).organization
    // the demo citizen is the registered legal representative of the first, with the mobile verified
    expect(read(represented)).toEqual({ name: own.name, uscc: own.uscc, check: { kind: 'legalRepresentative' } })
    expect(read(unknown)?.check).toEqual({ kind: 'notFound' })
    // deregistered since: said at once
    conn.sqlite.prepare(`UPDATE legal_entities SET status = 'deregistered', status_date = '2026-03-01' WHERE uscc = ?`).run(own.uscc)
    expect(read(represented)?.check).toEqual({ kind: 'inactive', status: 'deregistered', statusDate: '2026-03-01', registeredName: own.name })
  })
})

describe('an item for organisations taken in at the counter names its organisation', () => {
  /** SZSF-0003 (律师事务所设立): the form asks the applicant, not the firm's name and code. */
  const firmAnswers = { firmName: FIRM.name, firmType: 'general', partners: 3, capital: 100, officeAddress: '深圳市福田区' }

  function intake(clerk: User, answers: Record<string, unknown>, serviceCode = 'SZSF-0003') {
    return tx(() => receiveCounterCase(conn, { serviceCode, applicant: CITIZEN, answers, clerk }, now))
  }

  it('refuses one without the organisation\'s name and code, or with a code that is not a USCC', () => {
    const clerk = clerkOf('SZSF')
    const none = refusal(CaseError, () => intake(clerk, firmAnswers))
    expect(none.statusCode).toBe(400)
    expect(none.data?.fieldErrors).toEqual({ orgName: 'validation.required', orgCode: 'validation.required' })
    const bad = refusal(CaseError, () => intake(clerk, { ...firmAnswers, orgName: FIRM.name, orgCode: wrongCheck(FIRM.uscc) }))
    expect(bad.data?.fieldErrors).toEqual({ orgCode: 'validation.uscc.checksum' })
    expect(conn.sqlite.prepare(`SELECT count(*) FROM cases WHERE service_code = 'SZSF-0003'`).pluck().get()).toBe(0)
  })

  it('issues the licence to the organisation the counter recorded, never to the person at the counter', () => {
    const clerk = clerkOf('SZSF')
    const { caseNo } = intake(clerk, { ...firmAnswers, orgName: ` ${FIRM.name} `, orgCode: FIRM.uscc.toLowerCase() })
    act(caseNo, clerk, 'accept')
    act(caseNo, clerk, 'approve')
    expect(conn.sqlite.prepare('SELECT holder_kind AS kind, holder_name AS name, holder_id_number AS idNumber FROM results WHERE case_no = ?').get(caseNo))
      .toEqual({ kind: 'organization', name: FIRM.name, idNumber: FIRM.uscc })
  })

  it('asks the same of an item without a form, and the licence is the organisation\'s', () => {
    const clerk = clerkOf('SZSJ')
    expect(refusal(CaseError, () => intake(clerk, {}, 'SZSJ-0011')).data?.fieldErrors).toEqual({ orgName: 'validation.required', orgCode: 'validation.required' })
    const { caseNo } = intake(clerk, { orgName: FIRM.name, orgCode: FIRM.uscc }, 'SZSJ-0011')
    act(caseNo, clerk, 'accept')
    act(caseNo, clerk, 'approve')
    expect(conn.sqlite.prepare('SELECT holder_kind AS kind, holder_name AS name FROM results WHERE case_no = ?').get(caseNo)).toEqual({ kind: 'organization', name: FIRM.name })
  })

  it('tells the department on the case what the legal-entity data says of it, the person at the counter its representative or not', () => {
    const clerk = clerkOf('SZSJ')
    const own = DEMO_LEGAL_ENTITIES[0]!
    const read = (caseNo: string) => caseDetail(conn, findVisibleCase(conn, caseNo, clerk)!, clerk, now).organization
    // 张晓明, whose ID card the counter saw, is its registered legal representative
    const { caseNo } = intake(clerk, { orgName: own.name, orgCode: own.uscc }, 'SZSJ-0011')
    expect(read(caseNo)).toEqual({ name: own.name, uscc: own.uscc, check: { kind: 'legalRepresentative' } })
    const byAgent = tx(() => receiveCounterCase(conn, { serviceCode: 'SZSJ-0011', applicant: ZHAO, answers: { orgName: own.name, orgCode: own.uscc }, clerk }, now)).caseNo
    expect(read(byAgent)?.check).toEqual({ kind: 'registered' })
  })

  it('checks a code the form asks as plain text as a USCC, and requires it', () => {
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const def = JSON.parse(conn.sqlite.prepare(`SELECT fv.definition FROM services s JOIN form_versions fv ON fv.id = s.form_version_id WHERE s.code = 'SZRS-0014'`).pluck().get() as string) as { fields: { key: string, type: string, required: boolean }[] }
    def.fields = def.fields.map(f => (f.key === 'orgCode' ? { ...f, type: 'text', required: false } : f))
    conn.sqlite.prepare(`UPDATE form_versions SET definition = ? WHERE id = (SELECT form_version_id FROM services WHERE code = 'SZRS-0014')`).run(JSON.stringify(def))
    const answers = { orgName: FIRM.name, bankName: '招商银行', bankAccount: '755912345678', employeeCount: 12, industry: 'it' }
    expect(refusal(CaseError, () => intake(clerk, { ...answers, orgCode: 'NOT-A-CODE' }, 'SZRS-0014')).data?.fieldErrors).toEqual({ orgCode: 'validation.uscc.format' })
    expect(refusal(CaseError, () => intake(clerk, answers, 'SZRS-0014')).data?.fieldErrors).toEqual({ orgCode: 'validation.required' })
    expect(intake(clerk, { ...answers, orgCode: FIRM.uscc }, 'SZRS-0014').caseNo).toMatch(/^SZ/)
  })

  it('the counter\'s definition adds the two fields only for an item for organisations whose form does not ask them', () => {
    const form = { version: 1 as const, fields: [{ key: 'orgName', type: 'text' as const, label: { zh: '字号', en: 'Trade name' }, required: false }] }
    expect(intakeDefinition(form, 'counter', 'both').fields.map(f => f.key)).toEqual(['orgName'])
    expect(intakeDefinition(form, 'online', 'organization')).toBe(form)
    // a field of the form already keyed orgName, not filled from the organisation's name: the added one gets another key
    expect(intakeDefinition(form, 'counter', 'organization').fields.map(f => [f.key, f.type, f.prefill, f.required]))
      .toEqual([['orgName2', 'text', 'orgName', true], ['orgCode', 'uscc', 'orgCode', true], ['orgName', 'text', undefined, false]])
  })
})

describe('a correction of a counter case cannot make it another company\'s', () => {
  it('refuses another organisation\'s name or code in a correction, and accepts the same one however spaced', () => {
    const clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
    const { caseNo } = tx(() => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0014', applicant: ZHAO, clerk,
      answers: { orgName: FIRM.name, orgCode: FIRM.uscc, bankName: '招商银行', bankAccount: '755912345678', employeeCount: 12, industry: 'it' },
    }, now))
    act(caseNo, clerk, 'return', { comment: '请补正', supplement: { fields: ['orgName', 'orgCode', 'bankName'], materials: [] } })
    const other = refusal(CaseError, () => act(caseNo, clerk, 'resubmit', { answers: { orgName: OTHER.name, orgCode: OTHER.uscc } }))
    expect(other.statusCode).toBe(400)
    expect(other.data?.fieldErrors).toEqual({ orgName: 'case.errors.notTheOrganization', orgCode: 'case.errors.notTheOrganization' })
    expect(refusal(CaseError, () => act(caseNo, clerk, 'resubmit', { answers: { orgCode: OTHER.uscc } })).data?.fieldErrors)
      .toEqual({ orgCode: 'case.errors.notTheOrganization' })
    expect(act(caseNo, clerk, 'resubmit', { answers: { orgName: ` 深圳市示例 律师事务所`, orgCode: FIRM.uscc.toLowerCase(), bankName: '中国银行' } }).status).toBe('submitted')
    act(caseNo, clerk, 'accept')
    act(caseNo, clerk, 'approve')
    expect(conn.sqlite.prepare('SELECT holder_kind AS kind, holder_id_number AS code FROM results WHERE case_no = ?').get(caseNo)).toEqual({ kind: 'organization', code: FIRM.uscc })
  })

  it('a counter case taken in with the fields the counter added can be corrected, and keeps them', () => {
    const clerk = clerkOf('SZSF')
    const { caseNo } = tx(() => receiveCounterCase(conn, {
      serviceCode: 'SZSF-0003', applicant: ZHAO, clerk,
      answers: { orgName: FIRM.name, orgCode: FIRM.uscc, firmName: FIRM.name, firmType: 'general', partners: 3, capital: 100, officeAddress: '深圳市福田区' },
    }, now))
    act(caseNo, clerk, 'return', { comment: '请补正', supplement: { fields: ['officeAddress'], materials: [] } })
    // the item is for people too by now: the case stays the firm's
    conn.sqlite.prepare(`UPDATE services SET audience = 'both' WHERE code = 'SZSF-0003'`).run()
    expect(act(caseNo, clerk, 'resubmit', { answers: { officeAddress: '深圳市南山区' } }).status).toBe('submitted')
    act(caseNo, clerk, 'accept')
    act(caseNo, clerk, 'approve')
    expect(conn.sqlite.prepare('SELECT holder_kind AS kind, holder_name AS name FROM results WHERE case_no = ?').get(caseNo)).toEqual({ kind: 'organization', name: FIRM.name })
  })
})

describe('the audit log', () => {
  it('records the organisation registered with an account as added, with its id', async () => {
    const r = await registerPerson(conn, {
      username: 'firm-owner', password: 'a-long-enough-passphrase', name: '李四', idNumber: '11010519491231002X', mobile: '13912345678',
      organization: { name: FIRM.name, uscc: FIRM.uscc },
    } as Parameters<typeof registerPerson>[1], { ip: '203.0.113.7' }, now)
    if (!r.ok) throw new Error('not registered')
    const orgId = (conn.sqlite.prepare('SELECT id FROM organizations WHERE user_id = ?').get(r.userId) as { id: number }).id
    expect(conn.sqlite.prepare(`SELECT actor_id AS actorId, subject, ip FROM audit_log WHERE action = 'account.organization.add'`).all())
      .toEqual([{ actorId: r.userId, subject: `organization:${orgId}`, ip: '203.0.113.7' }])
  })

  it('records no organisation for an account registered without one', async () => {
    await registerPerson(conn, { username: 'plain', password: 'a-long-enough-passphrase', name: '李四', idNumber: '11010519491231002X', mobile: '13912345678' } as Parameters<typeof registerPerson>[1], { ip: '203.0.113.7' }, now)
    expect(conn.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'account.organization.add'`).pluck().get()).toBe(0)
  })

  it('records the organisation record of a case received for one (null for a person\'s)', () => {
    const orgId = addOrganization(OTHER)
    const { caseNo } = tx(() => receiveCase(conn, {
      serviceCode: 'SZRS-0014', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, organizationId: orgId, ...CITIZEN },
      answers: {}, materials: [], actor: citizen,
    }, now))
    expect(auditDetail('case.submit', caseNo)).toMatchObject({ organizationId: orgId })
    const counter = tx(() => receiveCounterCase(conn, { serviceCode: 'SZRS-0004', applicant: CITIZEN, answers: { cardBank: 'boc', collectWay: 'branch' }, clerk: { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' } }, now))
    expect(auditDetail('case.submit', counter.caseNo)).toMatchObject({ channel: 'counter', organizationId: null })
  })
})

describe('an e-licence copy of another holder', () => {
  it('is refused with words that say so, not "upload it again"', () => {
    const orgId = addOrganization(OTHER)
    const copy = upload(citizen.id)
    const { caseNo } = tx(() => receiveCase(conn, {
      serviceCode: 'SZRS-0014', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, organizationId: orgId, ...CITIZEN },
      answers: {}, materials: [], actor: citizen,
    }, now))
    conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_kind, holder_org_id, holder_name, holder_id_number, number, issued_at, upload_id)
      VALUES ('RORGCOPY2', ?, 'SZRS-0014', ?, 'organization', ?, ?, ?, 'No. 1', '2026-01-05T02:00:00Z', ?)`).run(caseNo, citizen.id, orgId, OTHER.name, OTHER.uscc, copy)
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: {} }))
    const e = refusal(ApplicationError, () => tx(() => saveDraft(conn, citizen, draft.id, { digitalPhotoReceiptFile: [copy] })))
    expect(e.statusCode).toBe(400)
    expect(e.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'validation.otherHolderLicence' })
  })
})
