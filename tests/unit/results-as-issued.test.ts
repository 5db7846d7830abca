/**
 * An e-licence stays as it was issued when the catalogue changes afterwards: an administrator moves
 * the item to another department (a new guide version, an import) or renames it and its result.
 * Whoever verifies it still reads the department that issued it; that department's clerks still
 * open and revoke it, the other department's do not until the issuing one has no clerk left. The
 * satisfaction report counts an item's ratings under the department that handled the cases, as its
 * per-department table does.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { applyMigrations, openDatabase, writeTransaction } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { receiveCase } from '../../server/services/case-intake'
import { rateCase } from '../../server/services/ratings'
import { findResultFor, listMyResults, revokeResult, verifyResult } from '../../server/services/results'
import { satisfactionReport } from '../../server/services/satisfaction'
import { listSharedMaterials } from '../../server/services/shared-materials'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

const citizen = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const now = new Date('2026-03-02T02:00:00Z')

function actor(conn: Connection, username: string) {
  return conn.sqlite.prepare(`SELECT id, role, department_code AS departmentCode, id_number AS idNumber FROM users WHERE username = ?`)
    .get(username) as { id: number, role: string, departmentCode: string | null, idNumber: string | null }
}

/** The citizen's online case for SZRS-0006 (instant, 参保证明), approved by the SZRS clerk. */
function approvedCase(conn: Connection, serviceCode = 'SZRS-0006'): string {
  const userId = userIdOf(conn, 'citizen')
  const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId: null, applicant: { userId, ...citizen }, answers: {}, materials: [], actor: { id: userId, role: 'citizen' },
  }, now))
  applyTransition(conn, { caseNo, action: 'approve', version: 1, user: actor(conn, 'clerk'), now })
  return caseNo
}

const resultOf = (conn: Connection, caseNo: string) => (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code

/** What a new guide version or an import does to the item's row: another department, other names. */
function moveAndRename(conn: Connection, serviceCode = 'SZRS-0006') {
  conn.sqlite.prepare(`UPDATE services SET department_code = 'SZGA', name = '改名后的事项', name_en = 'Renamed item', result_name = '改名后的证明' WHERE code = ?`).run(serviceCode)
}

const department = (conn: Connection, code: string) =>
  conn.sqlite.prepare('SELECT name, name_en AS nameEn FROM departments WHERE code = ?').get(code) as { name: string, nameEn: string }

describe('an e-licence after its item moved to another department and was renamed', () => {
  it('verifies with the department that issued it and the names it was issued with', () => {
    const conn = freshDatabase()
    const code = resultOf(conn, approvedCase(conn))
    const issued = verifyResult(conn, code, now)!
    moveAndRename(conn)
    const later = verifyResult(conn, code, now)!
    expect(later).toEqual(issued)
    expect(later).toMatchObject({ departmentName: department(conn, 'SZRS').name, departmentNameEn: department(conn, 'SZRS').nameEn })
    expect(later.resultName).not.toBe('改名后的证明')
    expect(later.serviceName).toContain('参保证明')
    expect(later.serviceNameEn).not.toBe('Renamed item')
  })

  it('stays with the issuing department\'s clerks: they open and revoke it; the new department\'s clerks get nothing', () => {
    const conn = freshDatabase()
    const code = resultOf(conn, approvedCase(conn))
    moveAndRename(conn)
    const clerk = actor(conn, 'clerk')
    const clerk2 = actor(conn, 'clerk2')
    expect(findResultFor(conn, code, clerk, now)).toMatchObject({ department: { code: 'SZRS' }, canRevoke: true })
    expect(findResultFor(conn, code, clerk2, now)).toBeNull()
    expect(writeTransaction(conn, () => revokeResult(conn, code, clerk2, '误发', null, now))).toBeNull()
    expect(verifyResult(conn, code, now)!.status).toBe('valid')
    expect(writeTransaction(conn, () => revokeResult(conn, code, clerk, '误发', null, now))).toMatchObject({ status: 'revoked' })
  })

  it('passes to the department that handles the item now once the issuing department has no clerk left, and only then', () => {
    const conn = freshDatabase()
    const code = resultOf(conn, approvedCase(conn))
    moveAndRename(conn)
    const clerk2 = actor(conn, 'clerk2')
    // the reorganisation: the issuing department's clerks are disabled one by one, then closed
    const issuingClerks = conn.sqlite.prepare(`SELECT id FROM users WHERE role = 'clerk' AND department_code = 'SZRS'`).all() as { id: number }[]
    expect(issuingClerks.length).toBeGreaterThan(0)
    const [last, ...others] = issuingClerks
    for (const c of others) conn.sqlite.prepare(`UPDATE users SET disabled_at = ? WHERE id = ?`).run(now.toISOString(), c.id)
    expect(findResultFor(conn, code, clerk2, now)).toBeNull()
    conn.sqlite.prepare(`UPDATE users SET closed_at = ? WHERE id = ?`).run(now.toISOString(), last!.id)
    expect(findResultFor(conn, code, clerk2, now)).toMatchObject({ department: { code: 'SZRS' }, canRevoke: true })
    expect(writeTransaction(conn, () => revokeResult(conn, code, clerk2, '机构改革后发现误发', null, now))).toMatchObject({ status: 'revoked' })
    expect(verifyResult(conn, code, now)!.status).toBe('revoked')
    // a clerk of a third department, which neither issued the licence nor handles the item, still gets nothing
    const { code: third } = conn.sqlite.prepare(`SELECT code FROM departments WHERE code NOT IN ('SZRS', 'SZGA') LIMIT 1`).get() as { code: string }
    const otherId = Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES ('clerk3', 'x', 'clerk', ?, '赵敏')`)
      .run(third).lastInsertRowid)
    expect(findResultFor(conn, code, { id: otherId, role: 'clerk', departmentCode: third }, now)).toBeNull()
  })

  it('keeps its names for the holder and in the shared library', () => {
    const conn = freshDatabase()
    const code = resultOf(conn, approvedCase(conn))
    const holder = actor(conn, 'citizen')
    const before = listSharedMaterials(conn, { ...holder, actingFor: null }, now)
    moveAndRename(conn)
    expect(listSharedMaterials(conn, { ...holder, actingFor: null }, now)).toEqual(before)
    expect(before.map(m => m.code)).toEqual([code])
    const [mine] = listMyResults(conn, holder, now)
    expect(mine).toMatchObject({ department: { code: 'SZRS' }, service: { code: 'SZRS-0006', name: before[0]!.serviceName } })
    expect(mine!.resultName).toBe(before[0]!.name)
  })
})

describe('the satisfaction report after an item moved', () => {
  it('counts its ratings under the department that handled the cases, by service as by department', () => {
    const conn = freshDatabase()
    const caseNo = approvedCase(conn)
    writeTransaction(conn, () => rateCase(conn, caseNo, actor(conn, 'citizen'), { score: 5 }, null, now))
    moveAndRename(conn)
    const city = satisfactionReport(conn, { from: '2026-03-01', to: '2026-03-31' }, now)!
    expect(city.byDepartment.find(d => d.code === 'SZRS')).toMatchObject({ count: 1 })
    expect(city.byService).toMatchObject([{ code: 'SZRS-0006', departmentCode: 'SZRS', count: 1 }])
    const szrs = satisfactionReport(conn, { from: '2026-03-01', to: '2026-03-31', dept: 'SZRS' }, now)!
    expect(szrs.byService).toMatchObject([{ code: 'SZRS-0006', departmentCode: 'SZRS', count: 1 }])
    expect(satisfactionReport(conn, { from: '2026-03-01', to: '2026-03-31', dept: 'SZGA' }, now)!.byService).toEqual([])
  })

  it('gives an item rated under two departments a row for each, adding up to the departments\' counts', () => {
    const conn = freshDatabase()
    const first = approvedCase(conn)
    const second = approvedCase(conn)
    writeTransaction(conn, () => rateCase(conn, first, actor(conn, 'citizen'), { score: 5 }, null, now))
    // the second case was handled by SZRS too; as if the item had moved between the two ratings
    conn.sqlite.prepare(`UPDATE cases SET department_code = 'SZGA' WHERE case_no = ?`).run(second)
    writeTransaction(conn, () => rateCase(conn, second, actor(conn, 'citizen'), { score: 1 }, null, now))
    const city = satisfactionReport(conn, { from: '2026-03-01', to: '2026-03-31' }, now)!
    expect(city.byService.map(s => [s.code, s.departmentCode, s.count])).toEqual([['SZRS-0006', 'SZGA', 1], ['SZRS-0006', 'SZRS', 1]])
  })
})

describe('migration 0015 keeps existing licences as issued', () => {
  it('fills the issuing department from the case and the names from the item, and links a company licence to its organisation record', () => {
    // the migrations up to 0014, then a licence written by the old code, then 0015
    const dir = mkdtempSync(join(tmpdir(), 'migrations-0014-'))
    try {
      cpSync('db/migrations', dir, { recursive: true })
      const journalPath = join(dir, 'meta/_journal.json')
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }
      journal.entries = journal.entries.filter(e => e.tag < '0015')
      writeFileSync(journalPath, JSON.stringify(journal))
      const conn = openDatabase('file::memory:')
      applyMigrations(conn, dir)
      seedCatalogue(conn)
      seedDemoAccounts(conn)
      const userId = userIdOf(conn, 'citizen')
      // a case as the code of then wrote it (receiveCase writes the columns of later migrations)
      const caseNo = 'SB2026030200001'
      conn.sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, applicant_id, applicant_name, applicant_id_number, channel, status,
          process_type, answers, received_date, submitted_at, deadline)
        VALUES (?, 'SZRS-0006', 'SZRS', ?, ?, ?, 'online', 'approved', 'instant', '{}', '2026-03-02', '2026-03-02T02:00:00.000Z', '2026-03-02')`)
        .run(caseNo, userId, citizen.name, citizen.idNumber)
      conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_name, holder_id_number, number, issued_at)
        VALUES ('OLDLICENCE234567', ?, 'SZRS-0006', ?, ?, ?, 'n', '2026-03-02T02:00:00.000Z')`).run(caseNo, userId, citizen.name, citizen.idNumber)
      // two company licences from counter cases, issued without an organisation record: the
      // account keeps the first company (same USCC), not the second
      const orgId = Number(conn.sqlite.prepare(`INSERT INTO organizations (user_id, name, uscc) VALUES (?, '深圳市示例科技有限公司', '91440300MA5FXXXX1A')`).run(userId).lastInsertRowid)
      const companyLicence = conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_kind, holder_name, holder_id_number, number, issued_at)
        VALUES (?, ?, 'SZRS-0006', ?, 'organization', ?, ?, ?, '2026-03-02T02:00:00.000Z')`)
      for (const [code, no, uscc] of [['ORGLICENCE234567', 'SB2026030200002', '91440300MA5FXXXX1A'], ['ORGLICENCE234568', 'SB2026030200003', '91440300MA5FYYYY2B']] as const) {
        conn.sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, applicant_id, applicant_name, applicant_id_number, channel, status,
            process_type, answers, received_date, submitted_at, deadline)
          VALUES (?, 'SZRS-0006', 'SZRS', ?, ?, ?, 'counter', 'approved', 'instant', '{}', '2026-03-02', '2026-03-02T02:00:00.000Z', '2026-03-02')`)
          .run(no, userId, citizen.name, citizen.idNumber)
        companyLicence.run(code, no, userId, '公司', uscc, `n-${code}`)
      }
      // moved before the migration: the case still says which department issued it
      conn.sqlite.prepare(`UPDATE services SET department_code = 'SZGA' WHERE code = 'SZRS-0006'`).run()
      const service = conn.sqlite.prepare(`SELECT name, name_en AS nameEn, result_name AS resultName FROM services WHERE code = 'SZRS-0006'`).get() as { name: string, nameEn: string, resultName: string }

      applyMigrations(conn, 'db/migrations')
      expect(conn.sqlite.prepare(`SELECT department_code AS departmentCode, result_name AS resultName, service_name AS serviceName, service_name_en AS serviceNameEn
        FROM results WHERE code = 'OLDLICENCE234567'`).get()).toEqual({ departmentCode: 'SZRS', resultName: service.resultName, serviceName: service.name, serviceNameEn: service.nameEn })
      const orgOf = (code: string) => (conn.sqlite.prepare('SELECT holder_org_id AS o FROM results WHERE code = ?').get(code) as { o: number | null }).o
      expect(orgOf('ORGLICENCE234567')).toBe(orgId)
      expect(orgOf('ORGLICENCE234568')).toBeNull()
      expect(orgOf('OLDLICENCE234567')).toBeNull()
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
