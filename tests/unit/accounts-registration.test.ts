import { describe, expect, it, vi } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { getProfile, login } from '../../server/services/accounts'
import { closeAccount } from '../../server/services/personal-data'
import { createStaffUser } from '../../server/services/staff-accounts'
import { addOrganization, listOrganizations, MAX_ORGANIZATIONS, registerPerson } from '../../server/services/registration'
import { findSessionUser } from '../../server/services/sessions'
import { makeUscc } from '../../shared/utils/uscc'
import { registerSchema } from '../../shared/utils/validators'
import { freshDatabase, userIdOf } from '../support/db'

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

  it('cannot take a username that exists in another case', async () => {
    const conn = freshDatabase()
    const result = await registerPerson(conn, registerSchema.parse({ ...person, username: 'Citizen' }), meta)
    expect(result).toEqual({ ok: false, reason: 'taken' })
  })

  it('is refused a second account with an ID number an open account holds, however its x is typed', async () => {
    const conn = freshDatabase()
    expect((await registerPerson(conn, registerSchema.parse(person), meta)).ok).toBe(true)
    const again = registerSchema.parse({ ...person, username: 'wang.wu2', idNumber: '11010519491231002X', mobile: '13700001111' })
    expect(await registerPerson(conn, again, meta)).toEqual({ ok: false, reason: 'idNumberRegistered' })
    // the demo citizen's own number too
    expect(await registerPerson(conn, registerSchema.parse({ ...person, username: 'zhang.again', idNumber: '440305199003072319' }), meta))
      .toEqual({ ok: false, reason: 'idNumberRegistered' })
    expect(conn.sqlite.prepare(`SELECT count(*) FROM users WHERE id_number = '11010519491231002X'`).pluck().get()).toBe(1)
  })

  it('lets only one of two registrations racing with one ID number through', async () => {
    const conn = freshDatabase()
    // both are checked before either is written, and both hash their password in between
    const results = await Promise.all([
      registerPerson(conn, registerSchema.parse({ ...person, username: 'racer.one' }), meta),
      registerPerson(conn, registerSchema.parse({ ...person, username: 'racer.two' }), meta),
    ])
    expect(results.filter(r => r.ok)).toHaveLength(1)
    expect(results.filter(r => !r.ok)).toEqual([{ ok: false, reason: 'idNumberRegistered' }])
    expect(conn.sqlite.prepare(`SELECT count(*) FROM users WHERE id_number = '11010519491231002X'`).pluck().get()).toBe(1)
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
