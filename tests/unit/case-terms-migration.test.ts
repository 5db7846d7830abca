/**
 * Migration 0016 (db/migrations/0016_case_promised_terms.sql): the cases received before it get
 * the terms they were most likely given, and catalogue_version rises on a change to any column of
 * an item but its use count.
 */
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { exportCatalogue, importCatalogue } from '../../server/services/catalogue-import'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
beforeEach(() => { conn = freshDatabase() })
afterEach(() => conn.sqlite.close())

/** The migration's hand-written backfill statements, as the migrator runs them. */
const BACKFILL = readFileSync('db/migrations/0016_case_promised_terms.sql', 'utf8')
  .split('--> statement-breakpoint')
  .filter(s => /UPDATE `cases`|kept_terms/.test(s))

const version = () => (conn.sqlite.prepare('SELECT v FROM catalogue_version WHERE id = 1').get() as { v: number }).v

function caseOn(code: string, submittedAt: string): string {
  const citizen = userIdOf(conn, 'citizen')
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode: code, channel: 'online', formVersionId: null,
    applicant: { userId: citizen, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
    answers: {}, materials: [], actor: { id: citizen, role: 'citizen' },
  }, new Date(submittedAt))).caseNo
}

const terms = (caseNo: string) => conn.sqlite.prepare(`SELECT guide_version AS guideVersion, promised_limit_days AS promised, legal_limit_days AS legal
  FROM cases WHERE case_no = ?`).get(caseNo)

describe('cases received before the terms were kept on them', () => {
  it('get the guide version in force when they were submitted, and its limits', () => {
    // SZRS-0004 as seeded (version 1, promised 10) dated 1 Jan 2026; version 2 (promised 1) published 5 Mar
    conn.sqlite.prepare(`UPDATE services SET updated_at = '2026-01-01T00:00:00.000Z' WHERE code = 'SZRS-0004'`).run()
    const seeded = conn.sqlite.prepare(`SELECT promised_limit_days AS promised, legal_limit_days AS legal FROM services WHERE code = 'SZRS-0004'`).get() as { promised: number, legal: number }
    const beforeAll = caseOn('SZRS-0004', '2025-12-01T02:00:00.000Z')
    const underFirst = caseOn('SZRS-0004', '2026-03-02T02:00:00.000Z')
    const admin = { id: userIdOf(conn, 'admin'), role: 'admin', departmentCode: null }
    const current = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0004')!
    writeTransaction(conn, () => importCatalogue(conn, admin, [{ ...current, promisedLimitDays: 1 }], { dryRun: false }, new Date('2026-03-05T02:00:00.000Z')))
    const underSecond = caseOn('SZRS-0004', '2026-03-06T02:00:00.000Z')
    const neverRepublished = caseOn('SZRS-0011', '2026-03-06T02:00:00.000Z')
    const other = conn.sqlite.prepare(`SELECT version, promised_limit_days AS promised, legal_limit_days AS legal FROM services WHERE code = 'SZRS-0011'`).get() as { version: number, promised: number, legal: number }
    const written = [beforeAll, underFirst, underSecond, neverRepublished].map(terms)

    // as the rows were before the migration
    conn.sqlite.prepare('UPDATE cases SET guide_version = NULL, promised_limit_days = NULL, legal_limit_days = NULL').run()
    expect(BACKFILL).toHaveLength(6)
    for (const statement of BACKFILL) conn.sqlite.exec(statement)

    expect(terms(beforeAll)).toEqual({ guideVersion: 1, ...seeded })
    expect(terms(underFirst)).toEqual({ guideVersion: 1, ...seeded })
    expect(terms(underSecond)).toEqual({ guideVersion: 2, promised: 1, legal: seeded.legal })
    expect(terms(neverRepublished)).toEqual({ guideVersion: other.version, promised: other.promised, legal: other.legal })
    // the same as receiveCase wrote when it received them
    expect([beforeAll, underFirst, underSecond, neverRepublished].map(terms)).toEqual(written)
  })
})

describe('the version of the catalogue the caches follow', () => {
  it('rises on a change to any column of an item, and not on its use count alone', () => {
    const columns = conn.sqlite.prepare('SELECT name, type FROM pragma_table_info(\'services\')').all() as { name: string, type: string }[]
    const names = columns.map(c => `"${c.name}"`).join(', ')
    // a copy of an item that nothing refers to, so that even its code may change
    conn.sqlite.prepare(`INSERT INTO services (${names}) SELECT ${columns.map(c => (c.name === 'code' ? `'T-1' AS code` : `"${c.name}"`)).join(', ')} FROM services WHERE code = 'SZRS-0004'`).run()
    let code = 'T-1'
    const changed: string[] = []
    for (const { name, type } of columns) {
      if (name === 'use_count') continue
      const before = version()
      const value = name === 'code' ? 'T-2' : name === 'department_code' ? 'SZGA' : type === 'integer' ? `coalesce("${name}", 0) + 1` : `coalesce("${name}", '') || 'x'`
      conn.sqlite.prepare(`UPDATE services SET "${name}" = ${name === 'code' || name === 'department_code' ? `'${value}'` : value} WHERE code = ?`).run(code)
      if (name === 'code') code = 'T-2'
      if (version() > before) changed.push(name)
    }
    expect(changed).toEqual(columns.map(c => c.name).filter(n => n !== 'use_count'))
    const before = version()
    conn.sqlite.prepare('UPDATE services SET use_count = use_count + 1 WHERE code = ?').run(code)
    expect(version()).toBe(before)
  })
})
