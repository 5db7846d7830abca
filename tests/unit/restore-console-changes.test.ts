/**
 * The operator's story after a restore: the console's changes to accounts made after the backup
 * (a clerk disabled, a password reset, a role changed, a staff member's own ID number set or
 * removed, a citizen's ID number released) are undone by the restore without a word, so the
 * restore lists each, in order, with the command that makes it again, as it lists closures; and
 * the loads of the legal-entity base data, each file to load again.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyMigrations, openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { DEMO_CLERK2_DEPARTMENT, seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { writeAudit } from '../../server/services/audit'
import { takeBackup } from '../../server/services/backup'
import { baseDataLoadsSince, closuresSince, consoleChangesSince } from '../../server/services/restore-changes'
import { releaseIdNumber } from '../../server/services/id-number-release'
import { importLegalEntities, legalEntitySchema } from '../../server/services/legal-entities'
import { changeStaffRole, disableStaffUser, enableStaffUser, resetStaffPassword, setStaffIdNumber } from '../../server/services/staff-accounts'
import { makeUscc } from '../../shared/utils/uscc'
import { userIdOf } from '../support/db'

process.env.AUDIT_HMAC_KEY ??= 'test-audit-key'
// the password reset hashes with scrypt: slow on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

let root: string
let conn: Connection
const database = () => join(root, 'portal.db')

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'portal-restore-changes-'))
  mkdirSync(join(root, 'uploads'))
  conn = openDatabase(`file:${database()}`)
  applyMigrations(conn, 'db/migrations')
  seedCatalogue(conn)
  seedDemoAccounts(conn)
})

afterEach(() => {
  conn.sqlite.close()
  rmSync(root, { recursive: true, force: true })
})

const backup = async () => join(root, 'backups', (await takeBackup(conn, { dir: join(root, 'backups'), uploads: join(root, 'uploads') })).name)

describe('after a restore, the console changes it undid', () => {
  it('are listed in order, with who, when, why and the command that makes each again', async () => {
    // made before the backup: the backup holds it, nothing to make again
    disableStaffUser(conn, 'clerk2', 'on leave')
    const path = await backup()
    const citizen = userIdOf(conn, 'citizen')
    enableStaffUser(conn, 'clerk2', 'back from leave')
    disableStaffUser(conn, 'clerk', 'left the department')
    resetStaffPassword(conn, 'manager', 'a long enough passphrase', 'forgot it')
    changeStaffRole(conn, 'auditor', { role: 'clerk', departmentCode: DEMO_CLERK2_DEPARTMENT }, 'transferred')
    changeStaffRole(conn, 'clerk2', { role: 'clerk', departmentCode: DEMO_CLERK2_DEPARTMENT, departmentHead: true }, 'appointed head')
    setStaffIdNumber(conn, 'admin', '440305199003072319', 'applies here too')
    setStaffIdNumber(conn, 'admin', null, 'typed for the wrong colleague')
    releaseIdNumber(conn, '440305199003072319', 'counter 3, ticket 118')
    // not console changes: not listed (closures have their own list)
    writeAudit(conn, { actorId: citizen, actorRole: 'citizen', action: 'auth.login', ip: '192.0.2.1' })
    writeAudit(conn, { actorId: citizen, actorRole: 'citizen', action: 'account.close', subject: `user:${citizen}` })

    const changes = consoleChangesSince(path, database())
    expect(changes.map(c => [c.account, c.action, c.what, c.reason, c.redo])).toEqual([
      ['clerk2', 'account.enable', 'enabled again', 'back from leave', 'npm run user:enable -- clerk2 --reason "<why>"'],
      ['clerk', 'account.disable', 'disabled', 'left the department', 'npm run user:disable -- clerk --reason "<why>"'],
      ['manager', 'account.password.reset', 'password reset from the console', 'forgot it', 'npm run user:password -- manager --reason "<why>"'],
      ['auditor', 'account.role.change', `role changed to clerk in ${DEMO_CLERK2_DEPARTMENT}`, 'transferred',
        `npm run user:role -- auditor --role clerk --department ${DEMO_CLERK2_DEPARTMENT} --reason "<why>"`],
      ['clerk2', 'account.role.change', `role changed to head and clerk in ${DEMO_CLERK2_DEPARTMENT}`, 'appointed head',
        `npm run user:role -- clerk2 --role clerk --department ${DEMO_CLERK2_DEPARTMENT} --head --reason "<why>"`],
      ['admin', 'account.idNumber.change', 'own ID number set', 'applies here too', 'npm run user:id-number -- admin --reason "<why>" (typing their own ID number when asked)'],
      ['admin', 'account.idNumber.change', 'own ID number removed', 'typed for the wrong colleague', 'npm run user:id-number -- admin --clear --reason "<why>"'],
      ['citizen', 'account.idNumber.release', 'ID number released', 'counter 3, ticket 118',
        `npm run user:release-id -- --reason "<why>" (typing the ID number user:${citizen} holds again when asked)`],
    ])
    // each after the backup's newest audit row, with its time, and never the ID number itself
    const { auditHead } = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8')) as { auditHead: { id: number } }
    expect(changes.every(c => c.id > auditHead.id && !Number.isNaN(Date.parse(c.at)))).toBe(true)
    expect(JSON.stringify(changes)).not.toContain('440305199003072319')
    // the closure is still listed where it was
    expect(closuresSince(path, database(), join(path, 'portal.db'))).toEqual([{ id: expect.any(Number), at: expect.any(String), subject: `user:${citizen}`, inRestored: true }])
  })

  it('names an account the replaced database does not hold by its user:<id>, and lists nothing when nothing changed', async () => {
    const path = await backup()
    expect(consoleChangesSince(path, database())).toEqual([])
    writeAudit(conn, { actorRole: 'console', action: 'account.disable', subject: 'user:9999', detail: { reason: 'gone' } })
    expect(consoleChangesSince(path, database())).toEqual([{
      id: expect.any(Number), at: expect.any(String), action: 'account.disable', account: 'user:9999',
      what: 'disabled', reason: 'gone', redo: 'npm run user:disable -- user:9999 --reason "<why>"',
    }])
  })
})

describe('after a restore, the loads of the legal-entity base data it undid', () => {
  it('are listed in order with their counts, and none from before the backup', async () => {
    const entity = (uscc: string) => legalEntitySchema.parse({ uscc, name: '深圳市恢复测试有限公司', legalRepresentative: '王五', status: 'active' })
    importLegalEntities(conn, [entity(makeUscc('91440300MA5RB0001'))])
    const path = await backup()
    expect(baseDataLoadsSince(path, database())).toEqual([])
    // the first with a new legal representative, the second new
    importLegalEntities(conn, [{ ...entity(makeUscc('91440300MA5RB0001')), legalRepresentative: '赵六' }, entity(makeUscc('91440300MA5RB0002'))])
    // not a load: not listed
    disableStaffUser(conn, 'clerk', 'left the department')
    expect(baseDataLoadsSince(path, database())).toEqual([{ id: expect.any(Number), at: expect.any(String), added: 1, changed: 1, partsWritten: 1, parts: 1 }])
  })

  it('give a load written in parts once, its counts added up, and say how many of its parts the restore undid', async () => {
    const entity = (n: number) => legalEntitySchema.parse({ uscc: makeUscc(`91440300MA5RC000${n}`), name: `深圳市恢复测试${n}有限公司`, legalRepresentative: '王五', status: 'active' })
    const path = await backup()
    importLegalEntities(conn, [1, 2, 3, 4, 5].map(entity), { partSize: 2 })
    // a load that stopped after its first part
    writeAudit(conn, { actorRole: 'console', action: 'base.legalEntities.import', detail: { added: 2, changed: 0, unchanged: 0, load: '2026-12-07T09:30:00.000Z', part: 1, parts: 4 } })
    // a load recorded before loads had parts
    writeAudit(conn, { actorRole: 'console', action: 'base.legalEntities.import', detail: { added: 7, changed: 2, unchanged: 0 } })
    expect(baseDataLoadsSince(path, database())).toEqual([
      { id: expect.any(Number), at: expect.any(String), added: 5, changed: 0, partsWritten: 3, parts: 3 },
      { id: expect.any(Number), at: expect.any(String), added: 2, changed: 0, partsWritten: 1, parts: 4 },
      { id: expect.any(Number), at: expect.any(String), added: 7, changed: 2, partsWritten: 1, parts: 1 },
    ])
  })
})
