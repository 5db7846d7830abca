/**
 * Migration 0029 (db/migrations/0029_org_licences_relinked.sql): a database that ran migration 0015
 * before it was edited (fd0aa84) kept a company's licence from a counter case unlinked from the
 * organisation record of that USCC its account keeps; 0029 links it, as 0015 now does, and leaves
 * every other licence as it was.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { applyMigrations, openDatabase } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { userIdOf } from '../support/db'

const REPAIR = readFileSync('db/migrations/0029_org_licences_relinked.sql', 'utf8')

let dir: string
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'migrations-0028-')) })
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A database with the migrations up to 0028 only, the catalogue and the demo accounts. */
function migratedTo0028(): Connection {
  cpSync('db/migrations', dir, { recursive: true })
  const journalPath = join(dir, 'meta/_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }
  journal.entries = journal.entries.filter(e => e.tag < '0029')
  writeFileSync(journalPath, JSON.stringify(journal))
  const conn = openDatabase('file::memory:')
  applyMigrations(conn, dir)
  seedCatalogue(conn)
  seedDemoAccounts(conn)
  return conn
}

/** An approved counter case and its licence, as issued to `holderKind` with `holderOrgId`. */
function licence(conn: Connection, code: string, caseNo: string, holder: { kind: 'person' | 'organization', orgId: number | null, idNumber: string }) {
  const userId = userIdOf(conn, 'citizen')
  conn.sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, applicant_id, applicant_name, applicant_id_number, channel, status,
      process_type, answers, received_date, submitted_at, deadline)
    VALUES (?, 'SZRS-0006', 'SZRS', ?, '张晓明', '440305199003072319', 'counter', 'approved', 'instant', '{}', '2026-03-02', '2026-03-02T02:00:00.000Z', '2026-03-02')`)
    .run(caseNo, userId)
  conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_kind, holder_org_id, holder_name, holder_id_number, number, issued_at)
    VALUES (?, ?, 'SZRS-0006', ?, ?, ?, '公司', ?, ?, '2026-03-02T02:00:00.000Z')`)
    .run(code, caseNo, userId, holder.kind, holder.orgId, holder.idNumber, `n-${code}`)
}

const orgOf = (conn: Connection, code: string) => conn.sqlite.prepare('SELECT holder_org_id FROM results WHERE code = ?').pluck().get(code)

describe('company licences 0015 left unlinked on a database migrated before it was edited', () => {
  it('are linked to the account\'s organisation of that USCC by 0029; every other licence stays as it was', () => {
    const conn = migratedTo0028()
    const userId = userIdOf(conn, 'citizen')
    const org = (uscc: string) => Number(conn.sqlite.prepare(`INSERT INTO organizations (user_id, name, uscc) VALUES (?, '公司', ?)`).run(userId, uscc).lastInsertRowid)
    const example = org('91440300MA5FXXXX1A')
    const other = org('91440300MA5FZZZZ3C')
    // as the first 0015 left it: the account keeps that company, the licence is not linked
    licence(conn, 'UNLINKED23456789', 'SB2026030200001', { kind: 'organization', orgId: null, idNumber: '91440300MA5FXXXX1A' })
    // already right, linked when issued
    licence(conn, 'LINKEDLICENCE234', 'SB2026030200002', { kind: 'organization', orgId: other, idNumber: '91440300MA5FZZZZ3C' })
    // a company the account keeps no record of: stays unlinked, serving no application
    licence(conn, 'NORECORD23456789', 'SB2026030200003', { kind: 'organization', orgId: null, idNumber: '91440300MA5FYYYY2B' })
    // the person's own licence
    licence(conn, 'PERSONAL23456789', 'SB2026030200004', { kind: 'person', orgId: null, idNumber: '440305199003072319' })

    applyMigrations(conn, 'db/migrations')
    const linked = () => ['UNLINKED23456789', 'LINKEDLICENCE234', 'NORECORD23456789', 'PERSONAL23456789'].map(code => orgOf(conn, code))
    expect(linked()).toEqual([example, other, null, null])

    // the repair can run again and changes nothing
    conn.sqlite.exec(REPAIR)
    expect(linked()).toEqual([example, other, null, null])
  })

  it('leaves a database with nothing to repair as it was, writing no row', () => {
    const conn = migratedTo0028()
    const example = Number(conn.sqlite.prepare(`INSERT INTO organizations (user_id, name, uscc) VALUES (?, '公司', '91440300MA5FXXXX1A')`).run(userIdOf(conn, 'citizen')).lastInsertRowid)
    licence(conn, 'LINKEDLICENCE234', 'SB2026030200002', { kind: 'organization', orgId: example, idNumber: '91440300MA5FXXXX1A' })
    licence(conn, 'PERSONAL23456789', 'SB2026030200004', { kind: 'person', orgId: null, idNumber: '440305199003072319' })
    const before = conn.sqlite.prepare('SELECT code, holder_org_id FROM results ORDER BY code').all()
    const changes = conn.sqlite.prepare('SELECT total_changes()').pluck()
    const start = changes.get() as number
    conn.sqlite.exec(REPAIR)
    expect(changes.get()).toBe(start)
    expect(conn.sqlite.prepare('SELECT code, holder_org_id FROM results ORDER BY code').all()).toEqual(before)
  })
})
