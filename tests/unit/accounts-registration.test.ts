import { describe, expect, it, vi } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { login } from '../../server/services/accounts'
import { getProfile } from '../../server/services/profile'
import { closeAccount } from '../../server/services/personal-data'
import { createStaffUser } from '../../server/services/staff-accounts'
import { addOrganization, listOrganizations, MAX_ORGANIZATIONS, registerPerson, removeOrganization } from '../../server/services/registration'
import { findSessionUser } from '../../server/services/sessions'
import { soleAccountOf } from '../../server/services/applicant-match'
import { markMobileVerified, requestMobileCode } from '../../server/services/mobile-verification'
import { writeTransaction } from '../../db/client'
import { createDraft } from '../../server/services/applications'
import type { Connection } from '../../db/client'
import { makeUscc } from '../../shared/utils/uscc'
import { registerSchema } from '../../shared/utils/validators'
import { freshDatabase, userIdOf } from '../support/db'

/** The mobile verified, as a code sent to it would (mobile-verification.ts). */
const verify = (conn: Connection, id: number) =>
  writeTransaction(conn, () => markMobileVerified(conn, { id, role: 'citizen' }, 'code', null, new Date().toISOString()))

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const meta = { ip: '192.0.2.1' }
const person = {
  username: 'wang.wu', password: 'a long enough passphrase', name: '王五',
  idNumber: '11010519491231002x', mobile: '13912345678',
}

describe('a person registering', () => {
  it('gets a citizen account, is signed in, and sees only masked data on the profile', async () => {
    const conn = freshDatabase()
    const input = registerSchema.parse({ ...person, organization: { name: '深圳市某某科技有限公司', uscc: makeUscc('91440300MA5D8K7Q2') } })
    const result = await registerPerson(conn, input, meta)
    if (!result.ok) throw new Error('expected a registration')
    expect(findSessionUser(conn, result.token)).toMatchObject({ username: 'wang.wu', role: 'citizen', idNumber: '11010519491231002X' })
    const profile = getProfile(conn, result.userId)!
    expect(profile).toMatchObject({ idNumberMasked: '110105********002X', mobileMasked: '139****5678', role: 'citizen' })
    expect(profile.organizations).toHaveLength(1)
    expect(JSON.stringify(profile)).not.toContain('13912345678')
    expect((await login(conn, 'Wang.Wu', person.password, meta)).ok).toBe(true)
  })

  it('cannot choose a mobile or ID number as the username, which staff and the audit log would see unmasked', () => {
    for (const username of ['13912345678', 'wang13912345678', '11010519491231002X']) {
      const refused = registerSchema.safeParse({ ...person, username })
      expect(refused.success, username).toBe(false)
      expect(refused.error?.issues.map(i => [i.path.join('.'), i.message]), username).toEqual([['username', 'validation.usernamePersonalNumber']])
    }
    // digits that are neither pass
    expect(registerSchema.safeParse({ ...person, username: 'wang2026' }).success).toBe(true)
  })

  it('closing an account whose username is a mobile number (chosen before that was refused) drops the number from the username', async () => {
    const conn = freshDatabase()
    // registered before the rule: registerPerson takes what the schema let through then
    const result = await registerPerson(conn, { ...registerSchema.parse(person), username: '13912345678' }, meta)
    if (!result.ok) throw new Error('expected a registration')
    expect(await closeAccount(conn, { id: result.userId, role: 'citizen' }, person.password, null)).toEqual({ ok: true })
    const { username } = conn.sqlite.prepare('SELECT username FROM users WHERE id = ?').get(result.userId) as { username: string }
    expect(username).toBe(`closed-${result.userId}`)
  })

  it('cannot take a username that exists in another case', async () => {
    const conn = freshDatabase()
    const result = await registerPerson(conn, registerSchema.parse({ ...person, username: 'Citizen' }), meta)
    expect(result).toEqual({ ok: false, reason: 'taken' })
  })

  it('is refused a second account with an ID number an account has verified, however its x is typed', async () => {
    const conn = freshDatabase()
    const first = await registerPerson(conn, registerSchema.parse(person), meta)
    if (!first.ok) throw new Error('expected the first registration')
    verify(conn, first.userId)
    const again = registerSchema.parse({ ...person, username: 'wang.wu2', idNumber: '11010519491231002X', mobile: '13700001111' })
    expect(await registerPerson(conn, again, meta)).toEqual({ ok: false, reason: 'idNumberRegistered' })
    // the demo citizen's own number too (verified at seed)
    expect(await registerPerson(conn, registerSchema.parse({ ...person, username: 'zhang.again', idNumber: '440305199003072319' }), meta))
      .toEqual({ ok: false, reason: 'idNumberRegistered' })
    expect(conn.sqlite.prepare(`SELECT count(*) FROM users WHERE id_number = '11010519491231002X'`).pluck().get()).toBe(1)
  })

  it('is not locked out by someone who registered their ID number with another mobile: the first to verify the mobile keeps it', async () => {
    const conn = freshDatabase()
    // a squatter types the person's ID number with a mobile of their own, and can verify nothing of the person's
    const squat = await registerPerson(conn, registerSchema.parse({ ...person, username: 'squatter', name: '冒用者', mobile: '13900009999' }), meta)
    const own = await registerPerson(conn, registerSchema.parse({ ...person, username: 'wang.wu.real' }), meta)
    if (!squat.ok || !own.ok) throw new Error('expected both registrations')
    const citizenOf = (id: number) => ({ id, role: 'citizen' })
    expect(requestMobileCode(conn, citizenOf(own.userId), null)).toEqual({ ok: true, minutes: 10 })
    verify(conn, own.userId)
    // now the number is the person's: the squatter can no longer verify, and nobody else may register it
    expect(requestMobileCode(conn, citizenOf(squat.userId), null)).toEqual({ ok: false, reason: 'idNumberVerified' })
    writeTransaction(conn, () => markMobileVerified(conn, citizenOf(squat.userId), 'passwordReset', null, new Date().toISOString()))
    expect(conn.sqlite.prepare('SELECT mobile_verified_at FROM users WHERE id = ?').pluck().get(squat.userId)).toBeNull()
    expect(await registerPerson(conn, registerSchema.parse({ ...person, username: 'third.try', mobile: '13600006666' }), meta))
      .toEqual({ ok: false, reason: 'idNumberRegistered' })
  })

  it('links the counter\'s case to the verified one of two accounts that both match the person', async () => {
    const conn = freshDatabase()
    // someone registered with the person's ID number, name and mobile, which cannot verify (no SMS reaches them)
    const squat = await registerPerson(conn, registerSchema.parse({ ...person, username: 'squatter' }), meta)
    const own = await registerPerson(conn, registerSchema.parse({ ...person, username: 'wang.wu.real' }), meta)
    if (!squat.ok || !own.ok) throw new Error('expected both registrations')
    const applicant = { idNumber: person.idNumber, name: person.name, mobile: person.mobile }
    expect(soleAccountOf(conn, applicant)).toBeNull()
    verify(conn, own.userId)
    expect(soleAccountOf(conn, applicant)).toBe(own.userId)
  })

  it('may register again with the ID number of an account they closed', async () => {
    const conn = freshDatabase()
    const citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
    expect(await closeAccount(conn, citizen, DEMO_PASSWORD, null)).toEqual({ ok: true })
    const result = await registerPerson(conn, registerSchema.parse({ ...person, username: 'zhang.new', idNumber: '440305199003072319' }), meta)
    expect(result.ok).toBe(true)
  })

  it('adds organisations once each, up to a limit', async () => {
    const conn = freshDatabase()
    const actor = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
    const org = { name: '某某商行', uscc: makeUscc('92440300MA5D8K7Q2') }
    expect(addOrganization(conn, actor, org)).toMatchObject({ ok: true, organization: { name: '某某商行' } })
    expect(addOrganization(conn, actor, org)).toEqual({ ok: false, reason: 'duplicate' })
    for (let i = 1; i < MAX_ORGANIZATIONS; i++) {
      expect(addOrganization(conn, actor, { name: `单位${i}`, uscc: makeUscc(`91440300MA5D8K${String(i).padStart(3, '0')}`) }).ok).toBe(true)
    }
    expect(addOrganization(conn, actor, { name: '再一个', uscc: makeUscc('91440300MA5D8KX99') })).toEqual({ ok: false, reason: 'tooMany' })
    expect(listOrganizations(conn, actor.id)).toHaveLength(MAX_ORGANIZATIONS)
    expect(listOrganizations(conn, userIdOf(conn, 'citizen2'))).toEqual([])
  })

  it('takes an organisation off the account, not someone else\'s, and not one a draft, case or licence names', () => {
    const conn = freshDatabase()
    const actor = { id: userIdOf(conn, 'citizen'), role: 'citizen' as const }
    const other = { id: userIdOf(conn, 'citizen2'), role: 'citizen' }
    const added = (name: string, code: string) => {
      const r = addOrganization(conn, actor, { name, uscc: makeUscc(code) })
      if (!r.ok) throw new Error(r.reason)
      return r.organization.id
    }
    const mistaken = added('打错的单位', '91440300MA5D8R001')
    const withDraft = added('有草稿的单位', '91440300MA5D8R002')
    writeTransaction(conn, () => createDraft(conn, actor, { serviceCode: 'SZRS-0014', answers: {}, organizationId: withDraft }))
    expect(removeOrganization(conn, other, mistaken)).toEqual({ ok: false, reason: 'notFound' })
    expect(removeOrganization(conn, actor, withDraft)).toEqual({ ok: false, reason: 'inUse' })
    expect(removeOrganization(conn, actor, mistaken)).toEqual({ ok: true })
    expect(listOrganizations(conn, actor.id).map(o => o.name)).toEqual(['有草稿的单位'])
    expect(removeOrganization(conn, actor, mistaken)).toEqual({ ok: false, reason: 'notFound' })
    const audit = conn.sqlite.prepare(`SELECT actor_id AS actorId, subject FROM audit_log WHERE action = 'account.organization.remove'`).all()
    expect(audit).toEqual([{ actorId: actor.id, subject: `organization:${mistaken}` }])
  })
})

describe('an operator creating staff accounts', () => {
  const base = { username: 'wangwu', name: '王五', password: 'a long enough passphrase' }

  it('binds a clerk to an existing department and records it in the audit log', () => {
    const conn = freshDatabase({ demo: false })
    const result = createStaffUser(conn, { ...base, role: 'clerk', departmentCode: 'SZRS' })
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors))
    const row = conn.sqlite.prepare('SELECT role, department_code AS dept FROM users WHERE id = ?').get(result.userId)
    expect(row).toEqual({ role: 'clerk', dept: 'SZRS' })
    const audit = conn.sqlite.prepare('SELECT action, actor_role AS role FROM audit_log ORDER BY id DESC LIMIT 1').get()
    expect(audit).toEqual({ action: 'account.create', role: 'console' })
  })

  it('refuses a clerk without a real department, a department for others, weak passwords and taken names', () => {
    const conn = freshDatabase()
    expect(createStaffUser(conn, { ...base, role: 'clerk' })).toEqual({ ok: false, fieldErrors: { departmentCode: 'validation.department.required' } })
    expect(createStaffUser(conn, { ...base, role: 'clerk', departmentCode: 'NOPE' })).toEqual({ ok: false, fieldErrors: { departmentCode: 'validation.department.unknown' } })
    expect(createStaffUser(conn, { ...base, role: 'manager', departmentCode: 'SZRS' })).toEqual({ ok: false, fieldErrors: { departmentCode: 'validation.department.onlyClerk' } })
    expect(createStaffUser(conn, { ...base, role: 'admin', password: 'short' })).toMatchObject({ ok: false, fieldErrors: { password: 'validation.password.tooShort' } })
    expect(createStaffUser(conn, { ...base, role: 'admin', password: 'password1234' })).toMatchObject({ ok: false, fieldErrors: { password: 'validation.password.common' } })
    expect(createStaffUser(conn, { ...base, role: 'auditor', username: 'ADMIN' })).toEqual({ ok: false, fieldErrors: { username: 'validation.usernameTaken' } })
    expect(createStaffUser(conn, { ...base, role: 'citizen' as 'admin' })).toMatchObject({ ok: false, fieldErrors: { role: 'validation.option' } })
  })
})
