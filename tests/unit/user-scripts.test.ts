/**
 * `npm run user:disable`, `user:enable`, `user:password` and `user:role` as an administrator runs them on the portal's
 * server: the commands package.json names, run against a database file, with the refusals an
 * operator can act on (a mistyped DATABASE_URL, a missing reason, an unknown name, a citizen).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import { seedCatalogue } from '../../db/seed/load'
import { verifyAuditChain } from '../../server/services/audit'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'
// each run starts tsx; two shared cores
vi.setConfig({ testTimeout: 60_000 })

let root: string
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'portal-user-scripts-')) })
afterEach(() => rmSync(root, { recursive: true, force: true }))

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts

/** Runs `npm run <name> -- ...args` as package.json defines it, with tsx loaded into node (npm's own start-up left out). */
function run(name: 'user:disable' | 'user:enable' | 'user:password' | 'user:role', database: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env) {
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
      detail: JSON.stringify({ from: { role: 'clerk', department: 'SZRS' }, to: { role: 'clerk', department: 'SZGA' }, reason: 'transferred', endedSessions: 0 }),
    }])
  })
})
