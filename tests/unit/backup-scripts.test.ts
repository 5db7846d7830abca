/**
 * `npm run backup` and `npm run restore` as cron and an operator run them: a DATABASE_URL that
 * names no database is refused, never created, backed up in place of the real one or restored into.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import { seedCatalogue } from '../../db/seed/load'
import { writeAudit } from '../../server/services/audit'
import { takeBackup } from '../../server/services/backup'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'
// each run starts tsx; two shared cores
vi.setConfig({ testTimeout: 60_000 })

let root: string
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'portal-backup-scripts-')) })
afterEach(() => rmSync(root, { recursive: true, force: true }))

function run(script: string, database: string, args: string[] = [], extraEnv: Record<string, string> = {}) {
  const env = { ...process.env, DATABASE_URL: `file:${database}`, BACKUP_DIR: join(root, 'backups'), UPLOAD_DIR: join(root, 'uploads'), ...extraEnv }
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { env, encoding: 'utf8' })
}

/** A migrated database with the catalogue, closed. */
function portalDatabase(file: string): void {
  const conn = openDatabase(`file:${file}`)
  applyMigrations(conn, 'db/migrations')
  seedCatalogue(conn)
  conn.sqlite.close()
}

describe('npm run backup', () => {
  it('refuses a DATABASE_URL that names no database, creating nothing', () => {
    const typo = join(root, 'dta', 'portal.db')
    const r = run('scripts/backup.ts', typo)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`backup failed: no database at ${typo}: check DATABASE_URL`)
    expect(existsSync(join(root, 'dta'))).toBe(false)
    expect(existsSync(join(root, 'backups'))).toBe(false)
  })

  it('neither migrates nor backs up a file that is not the portal\'s database', () => {
    const file = join(root, 'empty.db')
    writeFileSync(file, '')
    const r = run('scripts/backup.ts', file)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/has no migrations applied: it is not the portal's database/)
    const db = new Database(file, { readonly: true })
    expect(db.prepare('SELECT count(*) AS n FROM sqlite_master').get()).toEqual({ n: 0 })
    db.close()
    expect(existsSync(join(root, 'backups'))).toBe(false)
  })

  it('refuses a BACKUP_KEEP of 0, which pruned every backup, the new one too, writing nothing', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    mkdirSync(join(root, 'uploads'))
    const r = run('scripts/backup.ts', file, [], { BACKUP_KEEP: '0' })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('backup failed: BACKUP_KEEP: "0" is not a whole number of at least 1 (how many backups are kept)')
    expect(existsSync(join(root, 'backups'))).toBe(false)
  })

  it('backs up a database that is behind the code as it is, saying so, without migrating it', () => {
    const file = join(root, 'portal.db')
    portalDatabase(file)
    const db = new Database(file)
    db.exec('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)')
    const applied = (db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n
    db.close()
    mkdirSync(join(root, 'uploads'))
    const r = run('scripts/backup.ts', file)
    expect(r.stderr).toContain(`warning: ${file} is 1 migration(s) behind this checkout`)
    expect(r.status).toBe(0)
    const after = new Database(file, { readonly: true })
    expect(after.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: applied })
    after.close()
    expect(readdirSync(join(root, 'backups'))).toHaveLength(1)
  })
})

describe('npm run restore', () => {
  it('refuses a DATABASE_URL that names no database unless told it is a new site, and says where the replaced one is kept', async () => {
    const live = join(root, 'live', 'portal.db')
    portalDatabase(live)
    const conn = openDatabase(`file:${live}`)
    mkdirSync(join(root, 'uploads'))
    await takeBackup(conn, { dir: join(root, 'backups'), uploads: join(root, 'uploads') })
    conn.sqlite.close()

    const typo = join(root, 'lvie', 'portal.db')
    const refused = run('scripts/restore.ts', typo)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain(`no database at ${typo}: check DATABASE_URL (to restore where there is none yet, add --new)`)
    expect(existsSync(join(root, 'lvie'))).toBe(false)

    const site = join(root, 'second-site', 'portal.db')
    const fresh = run('scripts/restore.ts', site, ['--new'])
    expect(fresh.stderr).toBe('')
    expect(fresh.status).toBe(0)
    expect(existsSync(site)).toBe(true)

    const again = run('scripts/restore.ts', live)
    expect(again.status).toBe(0)
    expect(again.stdout).toMatch(/the database it replaced is kept at .*live[/\\]portal\.db\.before-restore-/)
  })

  it('passes over a backup marked suspect when taken, unless it is named', async () => {
    const live = join(root, 'live', 'portal.db')
    portalDatabase(live)
    mkdirSync(join(root, 'uploads'))
    const conn = openDatabase(`file:${live}`)
    const take = (day: string) => takeBackup(conn, { dir: join(root, 'backups'), uploads: join(root, 'uploads'), now: new Date(`${day}T02:00:00Z`) })
    const real = await take('2026-11-21')
    const suspect = await take('2026-11-22')
    conn.sqlite.close()
    // as takeBackup marks a backup with far fewer cases than a kept one
    writeFileSync(join(root, 'backups', suspect.name, 'SUSPECT.txt'), `holds 0 cases against 6 in ${real.name}\n`)

    const restored = run('scripts/restore.ts', live)
    expect(restored.status).toBe(0)
    expect(restored.stderr).toContain(`passed over ${suspect.name}: marked suspect when taken (holds 0 cases against 6 in ${real.name}); name it to restore it anyway: npm run restore -- ${suspect.name}`)
    expect(restored.stdout).toContain(`restored ${real.name} into ${live}`)

    const asked = run('scripts/restore.ts', live, [suspect.name])
    expect(asked.status).toBe(0)
    expect(asked.stderr).toContain(`warning: ${suspect.name} was marked suspect when taken`)
    expect(asked.stdout).toContain(`restored ${suspect.name} into ${live}`)

    // with every backup marked, the restore says so rather than that there is none
    writeFileSync(join(root, 'backups', real.name, 'SUSPECT.txt'), 'holds 0 cases against 6 in an older one\n')
    const none = run('scripts/restore.ts', live)
    expect(none.status).toBe(1)
    expect(none.stderr).toContain(`passed over ${real.name}`)
    expect(none.stderr).toContain(`every backup in ${join(root, 'backups')} is marked suspect: nothing was restored; name the one to restore`)
    expect(none.stderr).not.toContain('no backup found')
  })

  it('refuses while the portal has the database open, and lists the accounts closed, the console changes and the base data loads since the backup, to be made again', async () => {
    const live = join(root, 'live', 'portal.db')
    portalDatabase(live)
    mkdirSync(join(root, 'uploads'))
    const portal = openDatabase(`file:${live}`)
    // one the backup holds (to be closed again), and one registered after it (not to be: its id is the next registration's)
    const held = Number(portal.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name) VALUES ('in-backup', 'x', 'citizen', '王五')`).run().lastInsertRowid)
    await takeBackup(portal, { dir: join(root, 'backups'), uploads: join(root, 'uploads') })
    const later = Number(portal.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name) VALUES ('after-backup', 'x', 'citizen', '赵六')`).run().lastInsertRowid)
    writeAudit(portal, { actorId: held, actorRole: 'citizen', action: 'account.close', subject: `user:${held}` })
    writeAudit(portal, { actorId: later, actorRole: 'citizen', action: 'account.close', subject: `user:${later}` })
    writeAudit(portal, { actorRole: 'console', action: 'account.disable', subject: 'user:43', detail: { reason: 'left the department' } })
    writeAudit(portal, { actorRole: 'console', action: 'base.legalEntities.import', detail: { added: 120, changed: 3, unchanged: 0, load: '2026-12-07T09:00:00.000Z', part: 1, parts: 2 } })

    const refused = run('scripts/restore.ts', live)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain(`${live} is in use (held open by another connection): stop the portal first (nothing was changed)`)
    portal.sqlite.close()

    const restored = run('scripts/restore.ts', live)
    expect(restored.status).toBe(0)
    expect(restored.stdout).toContain('1 account(s) were closed after this backup was taken, and the restore brought back what closing erased: close each again with npm run user:close -- user:<id> --reason "<why>" before the portal starts (docs/privacy.md)')
    expect(restored.stdout).toMatch(new RegExp(`^- user:${held} closed at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(audit row \\d+\\)$`, 'm'))
    expect(restored.stdout).toContain('1 account(s) closed after this backup was taken were also registered after it: the restored database does not have them and nothing of them came back. Do NOT close these ids: the next accounts registered will be given them')
    expect(restored.stdout).toMatch(new RegExp(`^- user:${later} closed at [\\dT:.Z-]+ \\(audit row \\d+\\): not in the restored database$`, 'm'))
    expect(restored.stdout).toContain('1 change(s) to accounts were made from the console after this backup was taken, and the restore undid them: make each again, in this order')
    expect(restored.stdout).toContain('1 load(s) of the legal-entity base data were made after this backup was taken, and the restore undid them: load each file again, in this order, with npm run base:entities -- <file.json>')
    expect(restored.stdout).toMatch(/^- loaded at \d{4}-\d\d-\d\dT[\d:.]+Z \(audit row \d+\) in 1 of its 2 parts \(it stopped part-way, or began before the backup\): 120 added, 3 changed$/m)
    expect(restored.stdout).toMatch(/^- user:43 disabled at \d{4}-\d\d-\d\dT[\d:.]+Z \(audit row \d+, account\.disable, reason given: "left the department"\): npm run user:disable -- user:43 --reason "<why>"$/m)
  })
})
