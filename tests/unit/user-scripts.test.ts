/**
 * `npm run user:create`, `user:disable`, `user:enable`, `user:password`, `user:role`, `user:id-number`, `user:release-id`,
 * `db:migrate` and `base:entities` as an administrator
 * runs them on the portal's server: the commands package.json names, run against a database file, with the refusals an
 * operator can act on (a mistyped DATABASE_URL, a missing reason, an unknown name, a citizen, an audit key out of sight).
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import { seedCatalogue } from '../../db/seed/load'
import { verifyAuditChain } from '../../server/services/audit'
import { makeUscc } from '../../shared/utils/uscc'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'
// each run starts tsx; two shared cores
vi.setConfig({ testTimeout: 60_000 })

let root: string
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'portal-user-scripts-')) })
afterEach(() => rmSync(root, { recursive: true, force: true }))

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts

/** Runs `npm run <name> -- ...args` as package.json defines it, with tsx loaded into node (npm's own start-up left out). */
function run(name: 'user:create' | 'user:release-id' | 'user:close' | 'user:disable' | 'user:enable' | 'user:password' | 'user:role' | 'user:id-number' | 'db:migrate' | 'base:entities', database: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env) {
  const [tsx, ...command] = scripts[name]!.split(' ')
  expect(tsx).toBe('tsx')
  return spawnSync(process.execPath, ['--import', 'tsx', ...command, ...args], { env: { ...env, DATABASE_URL: `file:${database}` }, encoding: 'utf8' })
}

/** A migrated database with the catalogue, a clerk `wang` and a citizen `zhang` (their passwords are not needed), closed. */
function portalDatabase(file: string): void {
  const conn = openDatabase(`file:${file}`)
  applyMigrations(conn, 'db/migrations')
  seedCatalogue(conn)
  conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES ('wang', 'x', 'clerk', 'SZRS', '王五'), ('zhang', 'x', 'citizen', NULL, '张三')`).run()
  conn.sqlite.close()
}

function account(file: string, username: string) {
  const db = new Database(file, { readonly: true })
  const row = db.prepare('SELECT id, disabled_at AS disabledAt FROM users WHERE username = ?').get(username) as { id: number, disabledAt: string | null }
  const audit = db.prepare(`SELECT action, actor_role AS actorRole, subject, detail FROM audit_log WHERE subject = ? ORDER BY id`).all(`user:${row.id}`)
  db.close()
  return { ...row, audit }
}

describe('npm run user:close', () => {
  it('closes a citizen\'s account by user:<id>, as a restore lists it, audited with the reason; refuses a staff account and a missing reason', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const { id } = account(file, 'zhang')
    expect(run('user:close', file, [`user:${id}`]).status).toBe(2)
    const staff = run('user:close', file, ['wang', '--reason', 'restore'])
    expect([staff.status, staff.stderr.trim()]).toEqual([1, 'wang is a staff account: npm run user:disable stops a staff account'])
    const closed = run('user:close', file, [`user:${id}`, '--reason', 'closed 1 Dec, undone by the restore'])
    expect(closed.stderr).toBe('')
    expect([closed.status, closed.stdout.trim()]).toEqual([0, `closed user:${id} (user ${id}): its personal data erased, audited with the reason`])
    expect(account(file, 'zhang').audit).toEqual([
      expect.objectContaining({ action: 'account.close', subject: `user:${id}` }),
      { action: 'account.close.console', actorRole: 'console', subject: `user:${id}`, detail: JSON.stringify({ reason: 'closed 1 Dec, undone by the restore' }) },
    ])
  })
})

describe('npm run user:disable and user:enable', () => {
  it('disable a clerk who left with the reason, and enable them again, each audited from the console', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const disabled = run('user:disable', file, ['wang', '--reason', 'left the department'])
    expect(disabled.stderr).toBe('')
    expect(disabled.status).toBe(0)
    const { id } = account(file, 'wang')
    expect(disabled.stdout).toContain(`disabled wang (user ${id}): 0 session(s) ended`)
    expect(account(file, 'wang').disabledAt).not.toBeNull()

    const again = run('user:disable', file, ['wang', '--reason', 'left the department'])
    expect(again.status).toBe(0)
    expect(again.stdout).toMatch(/wang is already disabled \(since .+\): nothing changed/)

    const enabled = run('user:enable', file, ['wang'])
    expect(enabled.status).toBe(0)
    expect(enabled.stdout).toContain(`enabled wang (user ${id})`)
    const after = account(file, 'wang')
    expect(after.disabledAt).toBeNull()
    expect(after.audit).toEqual([
      { action: 'account.disable', actorRole: 'console', subject: `user:${id}`, detail: JSON.stringify({ role: 'clerk', department: 'SZRS', reason: 'left the department', endedSessions: 0 }) },
      { action: 'account.enable', actorRole: 'console', subject: `user:${id}`, detail: expect.stringContaining('"reason":null') },
    ])
    const conn = openDatabase(`file:${file}`, { mustExist: true })
    expect(verifyAuditChain(conn).firstBadId).toBeNull()
    conn.sqlite.close()
  })

  it('refuse an unknown username, a citizen and a reason holding an ID number, changing nothing', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const unknown = run('user:disable', file, ['li', '--reason', 'left'])
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toContain('no account named li')
    const citizen = run('user:disable', file, ['zhang', '--reason', 'moved away'])
    expect(citizen.status).toBe(1)
    expect(citizen.stderr).toContain('zhang is a citizen\'s account: the console disables staff only; a citizen closes their own account')
    const personal = run('user:disable', file, ['wang', '--reason', 'see 440305199003072319'])
    expect(personal.status).toBe(1)
    expect(personal.stderr).toContain('the reason holds an ID or mobile number')
    expect(account(file, 'wang')).toMatchObject({ disabledAt: null, audit: [] })
    expect(account(file, 'zhang')).toMatchObject({ disabledAt: null, audit: [] })
  })

  it('ask for the username and a reason before touching any database', () => {
    const typo = join(root, 'dta', 'portal.db')
    const noReason = run('user:disable', typo, ['wang'])
    expect(noReason.status).toBe(2)
    expect(noReason.stderr).toContain('a reason is required: it goes into the audit log')
    expect(noReason.stderr).toContain('usage: npm run user:disable -- <username> --reason')
    const noName = run('user:enable', typo)
    expect(noName.status).toBe(2)
    expect(noName.stderr).toContain('usage: npm run user:enable -- <username>')
    const unknownOption = run('user:disable', typo, ['wang', '--reasn', 'left'])
    expect(unknownOption.status).toBe(2)
    expect(unknownOption.stderr).toContain('--reasn')
    expect(existsSync(join(root, 'dta'))).toBe(false)
  })

  it('refuse a DATABASE_URL that names no database, creating nothing', () => {
    const typo = join(root, 'dta', 'portal.db')
    const r = run('user:disable', typo, ['wang', '--reason', 'left'])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`user:disable failed: no database at ${typo}: check DATABASE_URL`)
    expect(existsSync(join(root, 'dta'))).toBe(false)
  })

  it('refuse a file that is not the portal\'s database, and one behind this checkout, without migrating it', () => {
    const empty = join(root, 'empty.db')
    writeFileSync(empty, '')
    const notPortal = run('user:enable', empty, ['wang'])
    expect(notPortal.status).toBe(1)
    expect(notPortal.stderr).toMatch(/has no migrations applied: it is not the portal's database/)

    const file = join(root, 'portal.db')
    portalDatabase(file)
    const db = new Database(file)
    db.exec('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)')
    db.close()
    const behind = run('user:disable', file, ['wang', '--reason', 'left'])
    expect(behind.status).toBe(1)
    expect(behind.stderr).toContain(`${file} is 1 migration(s) behind this checkout`)
    expect(account(file, 'wang')).toMatchObject({ disabledAt: null, audit: [] })
  })

  it('refuse a database a newer portal has migrated, naming the migration this checkout does not have', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const db = new Database(file)
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), 4102444800000)
    db.close()
    const ahead = run('user:disable', file, ['wang', '--reason', 'left'])
    expect(ahead.status).toBe(1)
    expect(ahead.stderr).toContain('has 1 migration(s) this build does not have: created_at 4102444800000 = 2100-01-01T00:00:00.000Z')
    expect(account(file, 'wang')).toMatchObject({ disabledAt: null, audit: [] })
  })

  it('refuse to make an audit key of their own, which would break the chain', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const { AUDIT_HMAC_KEY: _key, ...withoutKey } = process.env
    const r = run('user:disable', file, ['wang', '--reason', 'left'], withoutKey)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`no audit key for ${file}`)
    expect(existsSync(join(root, 'audit.key'))).toBe(false)
    expect(account(file, 'wang').disabledAt).toBeNull()
  })
})

describe('npm run user:password and user:role', () => {
  it('set a new password from PORTAL_NEW_PASSWORD, never from the command line, audited from the console', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const missing = run('user:password', file, ['wang', '--reason', 'forgot it'], { ...process.env, PORTAL_NEW_PASSWORD: '' })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('no password: set PORTAL_NEW_PASSWORD or run on a terminal')
    const weak = run('user:password', file, ['wang', '--reason', 'forgot it'], { ...process.env, PORTAL_NEW_PASSWORD: 'password1234' })
    expect(weak.status).toBe(1)
    expect(weak.stderr).toContain('the password is one of the most common ones')
    const { id } = account(file, 'wang')
    const reset = run('user:password', file, ['wang', '--reason', 'forgot it'], { ...process.env, PORTAL_NEW_PASSWORD: 'counter-window-7-north' })
    expect(reset.stderr).toBe('')
    expect(reset.status).toBe(0)
    expect(reset.stdout).toContain(`new password set for wang (user ${id}): 0 session(s) ended, any sign-in lock lifted`)
    expect(account(file, 'wang').audit).toEqual([
      { action: 'account.password.reset', actorRole: 'console', subject: `user:${id}`, detail: JSON.stringify({ role: 'clerk', department: 'SZRS', reason: 'forgot it', endedSessions: 0 }) },
    ])
    const citizen = run('user:password', file, ['zhang', '--reason', 'forgot it'], { ...process.env, PORTAL_NEW_PASSWORD: 'counter-window-7-north' })
    expect(citizen.status).toBe(1)
    expect(citizen.stderr).toContain('zhang is a citizen\'s account: the console changes staff accounts only')
  })

  it('move a clerk to another department, and refuse what a role cannot be, audited from the console', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const { id } = account(file, 'wang')
    const noRole = run('user:role', file, ['wang', '--reason', 'transferred'])
    expect(noRole.status).toBe(2)
    expect(noRole.stderr).toContain('usage: npm run user:role -- <username> --role')
    const noDepartment = run('user:role', file, ['wang', '--role', 'clerk', '--reason', 'transferred'])
    expect(noDepartment.status).toBe(1)
    expect(noDepartment.stderr).toContain('a clerk needs --department')
    const moved = run('user:role', file, ['wang', '--role', 'clerk', '--department', 'SZGA', '--reason', 'transferred'])
    expect(moved.stderr).toBe('')
    expect(moved.status).toBe(0)
    expect(moved.stdout).toContain(`wang (user ${id}) is now clerk of SZGA: 0 session(s) ended`)
    const db = new Database(file, { readonly: true })
    expect(db.prepare(`SELECT role, department_code AS department FROM users WHERE id = ?`).get(id)).toEqual({ role: 'clerk', department: 'SZGA' })
    db.close()
    expect(account(file, 'wang').audit).toEqual([{
      action: 'account.role.change', actorRole: 'console', subject: `user:${id}`,
      detail: JSON.stringify({ from: { role: 'clerk', department: 'SZRS', head: false }, to: { role: 'clerk', department: 'SZGA', head: false }, reason: 'transferred', endedSessions: 0 }),
    }])
  })

  it('makes a clerk the head of their department with --head, who extends time limits, and refuses it to any other role', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const { id } = account(file, 'wang')
    const manager = run('user:role', file, ['wang', '--role', 'manager', '--head', '--reason', 'promoted'])
    expect(manager.status).toBe(1)
    expect(manager.stderr).toContain('only a clerk heads a department')
    const head = run('user:role', file, ['wang', '--role', 'clerk', '--department', 'SZRS', '--head', '--reason', 'appointed head'])
    expect(head.stderr).toBe('')
    expect(head.stdout).toContain(`wang (user ${id}) is now head and clerk of SZRS`)
    const isHead = () => {
      const db = new Database(file, { readonly: true })
      const value = db.prepare('SELECT department_head FROM users WHERE id = ?').pluck().get(id)
      db.close()
      return value
    }
    expect(isHead()).toBe(1)
    // the same command without --head: no longer the head
    expect(run('user:role', file, ['wang', '--role', 'clerk', '--department', 'SZRS', '--reason', 'term ended']).status).toBe(0)
    expect(isHead()).toBe(0)
    expect(account(file, 'wang').audit.map(a => JSON.parse((a as { detail: string }).detail).to)).toEqual([
      { role: 'clerk', department: 'SZRS', head: true },
      { role: 'clerk', department: 'SZRS', head: false },
    ])
  })
})

/** The environment with PORTAL_ID_NUMBER set, as a script sets it (on a terminal the command asks). */
const withIdNumber = (idNumber: string, env: NodeJS.ProcessEnv = process.env) => ({ ...env, PORTAL_ID_NUMBER: idNumber })
const NOT_AN_ARGUMENT = 'the ID number is not taken on the command line, where npm prints it back and ps and the shell history keep it'

describe('npm run user:id-number', () => {
  it('puts a clerk\'s own ID number on record from PORTAL_ID_NUMBER and clears it, audited without the number; refuses a wrong number', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const { id } = account(file, 'wang')
    const number = () => {
      const db = new Database(file, { readonly: true })
      const value = db.prepare('SELECT staff_id_number FROM users WHERE id = ?').pluck().get(id)
      db.close()
      return value
    }
    const wrong = run('user:id-number', file, ['wang', '--reason', 'applies here'], withIdNumber('440305199003072318'))
    expect(wrong.status).toBe(1)
    expect(wrong.stderr).toContain('does not match the rest')
    expect(wrong.stderr + wrong.stdout).not.toContain('440305199003072318')
    expect(number()).toBeNull()
    const set = run('user:id-number', file, ['wang', '--reason', 'applies here'], withIdNumber('440305199003072319'))
    // where the number came from is said, so a variable left from another command is noticed; never the number
    expect(set.stderr.trim()).toBe('wang\'s own ID number: taken from PORTAL_ID_NUMBER')
    expect(set.status).toBe(0)
    expect(set.stdout).toContain(`wang (user ${id}) now has their ID number on record`)
    expect(set.stdout).not.toContain('440305199003072319')
    expect(number()).toBe('440305199003072319')
    // --clear wins over a number left in the environment
    const cleared = run('user:id-number', file, ['wang', '--clear', '--reason', 'typed for the wrong colleague'], withIdNumber('440305199003072319'))
    expect(cleared.status).toBe(0)
    expect(number()).toBeNull()
    expect(account(file, 'wang').audit).toEqual([
      { action: 'account.idNumber.change', actorRole: 'console', subject: `user:${id}`, detail: JSON.stringify({ idNumberOnRecord: true, reason: 'applies here' }) },
      { action: 'account.idNumber.change', actorRole: 'console', subject: `user:${id}`, detail: JSON.stringify({ idNumberOnRecord: false, reason: 'typed for the wrong colleague' }) },
    ])
  })

  it('refuses the number on the command line without repeating it, and asks for it only on a terminal', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const given = run('user:id-number', file, ['wang', '--id-number', '440305199003072319', '--reason', 'applies here'])
    expect(given.status).toBe(2)
    expect(given.stderr).toContain(NOT_AN_ARGUMENT)
    expect(given.stderr + given.stdout).not.toContain('440305199003072319')
    const { PORTAL_ID_NUMBER: _unset, ...env } = process.env
    const none = run('user:id-number', file, ['wang', '--reason', 'applies here'], env)
    expect(none.status).toBe(1)
    expect(none.stderr).toContain('no ID number: set PORTAL_ID_NUMBER or run on a terminal')
    expect(account(file, 'wang').audit).toEqual([])
  })
})

/** The environment without AUDIT_HMAC_KEY: a shell where the portal's key is not set (it may be in the service's own). */
function withoutAuditKey(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { AUDIT_HMAC_KEY: _key, ...rest } = env
  return rest
}

const ADMIN = ['--username', 'chen', '--role', 'admin', '--name', '陈六']
const withPassword = (env: NodeJS.ProcessEnv = process.env) => ({ ...env, PORTAL_NEW_PASSWORD: 'counter-window-7-north' })
const MIGRATIONS = (JSON.parse(readFileSync('db/migrations/meta/_journal.json', 'utf8')) as { entries: unknown[] }).entries.length

describe('npm run user:create', () => {
  it('refuse a DATABASE_URL that names no database, pointing to db:migrate --new, creating no database and no audit key', () => {
    const typo = join(root, 'typo', 'portl.db')
    for (const env of [withPassword(), withPassword(withoutAuditKey())]) {
      const r = run('user:create', typo, ADMIN, env)
      expect(r.status).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toContain(`user:create failed: no database at ${typo}: check DATABASE_URL, or create a new site with npm run db:migrate -- --new`)
      expect(existsSync(typo)).toBe(false)
      expect(existsSync(join(root, 'typo', 'audit.key'))).toBe(false)
      expect(existsSync(join(root, 'typo'))).toBe(false)
    }
  })

  it('refuse to make an audit key of its own, writing nothing', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const r = run('user:create', file, ADMIN, withPassword(withoutAuditKey()))
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`no audit key for ${file}: set AUDIT_HMAC_KEY as the portal has it`)
    expect(existsSync(join(root, 'audit.key'))).toBe(false)
    const db = new Database(file, { readonly: true })
    expect(db.prepare(`SELECT count(*) AS n FROM users WHERE username = 'chen'`).get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 })
    db.close()
  })

  it('make a new site\'s first administrator after db:migrate -- --new, signed with the key the portal will use', () => {
    const file = join(root, 'site', 'portal.db')
    const env = withPassword(withoutAuditKey())
    const created = run('db:migrate', file, ['--new'], env)
    expect(created.stderr).toBe('')
    expect(created.status).toBe(0)
    // the site's key comes with the site, as the portal makes it, not from user:create
    const keyFile = join(root, 'site', 'audit.key')
    expect(created.stdout).toContain(`audit key: created ${keyFile}`)
    const siteKey = readFileSync(keyFile, 'utf8')
    const r = run('user:create', file, ADMIN, env)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('created admin chen (user 1)')
    expect(readFileSync(keyFile, 'utf8')).toBe(siteKey)
    // the key the portal finds beside the database (AUDIT_HMAC_KEY unset) verifies the row
    const conn = openDatabase(`file:${file}`, { mustExist: true })
    const key = Buffer.from(siteKey.trim(), 'base64')
    expect(verifyAuditChain(conn, key)).toMatchObject({ firstBadId: null, checked: 1 })
    conn.sqlite.close()
  })
})

describe('npm run user:release-id', () => {
  it('releases the number read from PORTAL_ID_NUMBER, never from the command line, audited without it', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const NUMBER = '11010519491231002X'
    const given = run('user:release-id', file, [NUMBER, '--reason', 'counter 3, ticket 118'])
    expect(given.status).toBe(2)
    expect(given.stderr).toContain(NOT_AN_ARGUMENT)
    expect(given.stderr + given.stdout).not.toContain(NUMBER)
    const nobody = run('user:release-id', file, ['--reason', 'counter 3, ticket 118'], withIdNumber(NUMBER))
    expect(nobody.status).toBe(1)
    expect(nobody.stderr).toContain('no open citizen account holds that ID number: nothing to release')
    // a reason the audit log may not keep is refused before the number is asked for
    const { PORTAL_ID_NUMBER: _unset, ...noNumber } = process.env
    const personal = run('user:release-id', file, ['--reason', 'ticket 118, mobile 13912345678'], noNumber)
    expect([personal.status, personal.stderr.trim()]).toEqual([1, 'the reason holds an ID or mobile number: the audit log keeps it for good, so say why without personal data'])

    const writable = new Database(file)
    writable.prepare(`UPDATE users SET id_number = ? WHERE username = 'zhang'`).run(NUMBER)
    writable.close()
    const { id } = account(file, 'zhang')
    const released = run('user:release-id', file, ['--reason', 'counter 3, ticket 118'], withIdNumber(NUMBER.toLowerCase()))
    expect(released.stderr.trim()).toBe('the person\'s ID number: taken from PORTAL_ID_NUMBER')
    expect(released.status).toBe(0)
    expect(released.stdout).toContain(`released from zhang (user ${id}): 0 session(s) ended`)
    const db = new Database(file, { readonly: true })
    expect(db.prepare(`SELECT id_number FROM users WHERE id = ?`).pluck().get(id)).toBeNull()
    db.close()
    const { audit } = account(file, 'zhang')
    expect(audit).toEqual([expect.objectContaining({ action: 'account.idNumber.release', actorRole: 'console' })])
    expect(JSON.stringify(audit)).not.toContain('11010519491231002')
  })
})

describe('npm run user:create with their own ID number', () => {
  it('reads it from PORTAL_ID_NUMBER with --with-id-number, and refuses it on the command line', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const CLERK = ['--username', 'lisi', '--role', 'clerk', '--department', 'SZRS', '--name', '李四']
    for (const args of [['--id-number', '440305199003072319'], ['--with-id-number', '440305199003072319']]) {
      const given = run('user:create', file, [...CLERK, ...args], withPassword(withIdNumber('440305199003072319')))
      expect(given.status).toBe(2)
      expect(given.stderr).toContain(NOT_AN_ARGUMENT)
      expect(given.stderr + given.stdout).not.toContain('440305199003072319')
    }
    const wrong = run('user:create', file, [...CLERK, '--with-id-number'], withPassword(withIdNumber('440305199003072318')))
    expect(wrong.status).toBe(1)
    expect(wrong.stderr).toContain('idNumber: the ID number\'s last character does not match the rest (mistyped?)')
    const created = run('user:create', file, [...CLERK, '--with-id-number'], withPassword(withIdNumber('440305199003072319')))
    expect(created.stderr.trim()).toBe('lisi\'s own ID number: taken from PORTAL_ID_NUMBER')
    expect(created.status).toBe(0)
    // the portal's own words for a refusal the console has none of its own for, never the key
    const again = run('user:create', file, CLERK, withPassword())
    expect([again.status, again.stderr.trim()]).toEqual([1, 'username: This username is taken: choose another'])
    // without the flag, a number left in the environment is not taken
    const other = run('user:create', file, ['--username', 'zhaoliu', '--role', 'clerk', '--department', 'SZRS', '--name', '赵六'], withPassword(withIdNumber('440305199003072319')))
    expect(other.status).toBe(0)
    const db = new Database(file, { readonly: true })
    expect(db.prepare(`SELECT username, staff_id_number AS idNumber FROM users WHERE username IN ('lisi', 'zhaoliu') ORDER BY username`).all())
      .toEqual([{ username: 'lisi', idNumber: '440305199003072319' }, { username: 'zhaoliu', idNumber: null }])
    db.close()
  })
})

describe('npm run db:migrate', () => {
  it('refuse a DATABASE_URL that names no database, pointing to --new, creating nothing', () => {
    const typo = join(root, 'typo', 'portl.db')
    const r = run('db:migrate', typo, [], withoutAuditKey())
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`no database at ${typo}: check DATABASE_URL (for a new site, add --new: npm run db:migrate -- --new)`)
    expect(existsSync(join(root, 'typo'))).toBe(false)
  })

  it('refuse an existing file no migration touched, and an unknown option (usage, exit 2), migrating nothing', () => {
    const empty = join(root, 'empty.db')
    writeFileSync(empty, '')
    const notPortal = run('db:migrate', empty)
    expect(notPortal.status).toBe(1)
    expect(notPortal.stderr).toContain(`${empty} has no migrations applied: it is not the portal's database`)
    const db = new Database(empty, { readonly: true })
    expect(db.prepare('SELECT name FROM sqlite_master').all()).toEqual([])
    db.close()
    const typo = join(root, 'typo', 'portl.db')
    const usage = run('db:migrate', typo, ['--nwe'])
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('--nwe')
    expect(usage.stderr).toContain('usage: npm run db:migrate [-- --new]')
    expect(existsSync(join(root, 'typo'))).toBe(false)
  })

  it('with --new, create the database, migrated, and its audit key as the portal would (none when AUDIT_HMAC_KEY is set)', () => {
    const file = join(root, 'site', 'portal.db')
    const r = run('db:migrate', file, ['--new'], withoutAuditKey())
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`created new database at ${file} and applied ${MIGRATIONS} migrations`)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const keyFile = join(root, 'site', 'audit.key')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32)
    const db = new Database(file, { readonly: true })
    expect(db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: MIGRATIONS })
    db.close()

    const withKey = join(root, 'keyed', 'portal.db')
    const keyed = run('db:migrate', withKey, ['--new'], { ...process.env, AUDIT_HMAC_KEY: 'the-service-key' })
    expect(keyed.status).toBe(0)
    expect(keyed.stdout).toContain(`created new database at ${withKey} and applied ${MIGRATIONS} migrations`)
    expect(existsSync(withKey)).toBe(true)
    expect(existsSync(join(root, 'keyed', 'audit.key'))).toBe(false)
  })

  it('say what it applied to a database behind the code, and that an up-to-date one is up to date, making no audit key', () => {
    // a database migrated to the migration before the last one
    const older = join(root, 'migrations')
    cpSync('db/migrations', older, { recursive: true })
    const journal = JSON.parse(readFileSync(join(older, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
    journal.entries.pop()
    writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify(journal))
    const file = join(root, 'portal.db')
    const conn = openDatabase(`file:${file}`)
    applyMigrations(conn, older)
    conn.sqlite.close()

    const behind = run('db:migrate', file, [], withoutAuditKey())
    expect(behind.stderr).toBe('')
    expect(behind.status).toBe(0)
    expect(behind.stdout).toContain(`applied 1 migration to ${file}`)
    const upToDate = run('db:migrate', file, [], withoutAuditKey())
    expect(upToDate.status).toBe(0)
    expect(upToDate.stdout).toContain(`${file} is up to date`)
    // --new on a database already there: the same, and still no key (the portal's may be out of this shell's sight)
    const again = run('db:migrate', file, ['--new'], withoutAuditKey())
    expect(again.status).toBe(0)
    expect(again.stdout).toContain(`${file} is up to date`)
    expect(existsSync(join(root, 'audit.key'))).toBe(false)
  })
})

describe('npm run base:entities', () => {
  const entitiesIn = (file: string) => {
    const db = new Database(file, { readonly: true })
    try { return db.prepare('SELECT uscc, name, status FROM legal_entities').all() }
    finally { db.close() }
  }

  it('loads the legal-entity base data from a JSON file, all or nothing, each problem said with its place and field', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const good = { uscc: makeUscc('91440300MA5R00007'), name: '深圳市控制台测试有限公司', legalRepresentative: '王五', status: 'active' }
    const data = join(root, 'entities.json')
    writeFileSync(data, JSON.stringify([good, { ...good, uscc: '9144030071526726XH', status: 'deregistered' }]))
    const refused = run('base:entities', file, [data])
    expect([refused.status, refused.stderr.trim().split('\n')]).toEqual([1, [
      'entity 2 uscc: The unified social credit code\'s check character does not match: check it',
      'entity 2 statusDate: a deregistered or revoked entity needs the day it was',
      'nothing was loaded',
    ]])
    expect(entitiesIn(file)).toEqual([])

    writeFileSync(data, JSON.stringify([good]))
    const loaded = run('base:entities', file, [data])
    expect(loaded.stderr).toBe('')
    expect([loaded.status, loaded.stdout.trim()]).toEqual([0, 'legal-entity base data: 1 added, 0 changed, 0 unchanged'])
    expect(entitiesIn(file)).toEqual([{ uscc: good.uscc, name: good.name, status: 'active' }])
    const conn = openDatabase(`file:${file}`, { mustExist: true })
    expect(verifyAuditChain(conn)).toMatchObject({ firstBadId: null, checked: 1 })
    conn.sqlite.close()
    expect(run('base:entities', file).status).toBe(2)
  })
})
