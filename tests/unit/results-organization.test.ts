/**
 * An e-licence of an organisation, told as the people who meet it: an employee registers their
 * employer for social insurance (SZRS-0014), the licence is the employer's, a stranger verifying it
 * reads the employer's name, and the employee is offered it only when applying for the employer.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { applyMigrations, openDatabase, writeTransaction } from '../../db/client'
import { seedDemoAccounts } from '../../db/seed/demo'
import { seedCatalogue } from '../../db/seed/load'
import { licenceCopiesOfOthers, receiveCase } from '../../server/services/case-intake'
import { publishGuide, saveGuideDraft } from '../../server/services/catalogue-admin'
import { getGuide } from '../../server/services/catalogue'
import { receiveCounterCase } from '../../server/services/counter'
import { findResultFor, listMyResults, verifyResult } from '../../server/services/results'
import { listSharedMaterials } from '../../server/services/shared-materials'
import { applyTransition } from '../../server/services/transitions'
import { makeUscc } from '../../shared/utils/uscc'
import { freshDatabase, userIdOf } from '../support/db'

const employee = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const employer = { name: '深圳市前海示例科技有限公司', uscc: makeUscc('91440300MA5G12345') }
const now = new Date('2026-03-02T02:00:00Z')

function actor(conn: Connection, username: string) {
  return conn.sqlite.prepare(`SELECT id, role, department_code AS departmentCode, id_number AS idNumber FROM users WHERE username = ?`)
    .get(username) as { id: number, role: string, departmentCode: string | null, idNumber: string | null }
}

function addEmployer(conn: Connection, username = 'citizen', org = employer): number {
  return Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(userIdOf(conn, username), org.name, org.uscc).lastInsertRowid)
}

/** The citizen's online case, for an organisation when given, received and accepted by the clerk. */
function receivedCase(conn: Connection, serviceCode: string, organizationId: number | null): string {
  const userId = userIdOf(conn, 'citizen')
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId: null, applicant: { userId, organizationId, ...employee }, answers: {}, materials: [], actor: { id: userId, role: 'citizen' },
  }, now)).caseNo
}

function resultOf(conn: Connection, caseNo: string): string {
  return (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
}

/** SZRS-0014 (用人单位社会保险登记) is promised: the clerk accepts, then approves. */
function approvedCase(conn: Connection, organizationId: number | null, serviceCode = 'SZRS-0014'): string {
  const caseNo = receivedCase(conn, serviceCode, organizationId)
  const clerk = actor(conn, 'clerk')
  applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now })
  applyTransition(conn, { caseNo, action: 'approve', version: 2, user: clerk, now })
  return resultOf(conn, caseNo)
}

describe('an employee registers their employer, and the licence is the employer\'s', () => {
  it('anyone verifying it reads the employer\'s whole name, never the employee\'s', () => {
    const conn = freshDatabase()
    const code = approvedCase(conn, addEmployer(conn))
    const v = verifyResult(conn, code, now)!
    // the company's USCC whole, public as its name: what tells two companies of one name apart
    expect(v).toMatchObject({ code, status: 'valid', holderMasked: employer.name, holderKind: 'organization', holderUscc: employer.uscc })
    const text = JSON.stringify(v)
    for (const personal of ['张', '440305', '2319']) expect(text).not.toContain(personal)
  })

  it('the employee who manages it opens it as the employer\'s, with the USCC whole (public, unlike an ID number)', () => {
    const conn = freshDatabase()
    const code = approvedCase(conn, addEmployer(conn))
    const view = findResultFor(conn, code, actor(conn, 'citizen'), now)!
    expect(view.holder).toEqual({ kind: 'organization', name: employer.name, idNumberMasked: employer.uscc })
    expect(listMyResults(conn, actor(conn, 'citizen'), now).map(r => [r.code, r.holder.kind])).toEqual([[code, 'organization']])
    expect(findResultFor(conn, code, actor(conn, 'citizen2'), now)).toBeNull()
  })

  it('a company registered at the counter by its representative gets the licence in the company\'s name from the answers', () => {
    const conn = freshDatabase()
    const clerk = actor(conn, 'clerk')
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0014', applicant: employee, clerk,
      answers: { orgName: employer.name, orgCode: employer.uscc.toLowerCase(), bankName: '招商银行', bankAccount: '755912345678', employeeCount: 12, industry: 'it' },
    }, now))
    applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now })
    applyTransition(conn, { caseNo, action: 'approve', version: 2, user: clerk, now })
    const v = verifyResult(conn, resultOf(conn, caseNo), now)!
    expect(v).toMatchObject({ holderMasked: employer.name, holderKind: 'organization' })
    expect(findResultFor(conn, v.code, clerk, now)!.holder.idNumberMasked).toBe(employer.uscc)
  })

  it('a company\'s counter case stays the company\'s when the item is opened to people as well before the decision', () => {
    const conn = freshDatabase()
    const clerk = actor(conn, 'clerk')
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0014', applicant: employee, clerk,
      answers: { orgName: employer.name, orgCode: employer.uscc, bankName: '招商银行', bankAccount: '755912345678', employeeCount: 12, industry: 'it' },
    }, now))
    // the next guide version makes the item for people and organisations alike
    const { department: _d, onlineAvailable: _o, ...guide } = getGuide(conn, 'SZRS-0014')!
    writeTransaction(conn, () => saveGuideDraft(conn, clerk, 'SZRS-0014', { ...guide, department: 'SZRS', audience: 'both' }))
    writeTransaction(conn, () => publishGuide(conn, clerk, 'SZRS-0014'))
    expect(getGuide(conn, 'SZRS-0014')!.audience).toBe('both')
    applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now })
    applyTransition(conn, { caseNo, action: 'approve', version: 2, user: clerk, now })
    expect(verifyResult(conn, resultOf(conn, caseNo), now)).toMatchObject({ holderMasked: employer.name, holderKind: 'organization' })
  })

  it('a person\'s own licence still names the person', () => {
    const conn = freshDatabase()
    const code = approvedCase(conn, null, 'SZRS-0001')
    expect(verifyResult(conn, code, now)).toMatchObject({ holderMasked: '张**', holderKind: 'person' })
    expect(findResultFor(conn, code, actor(conn, 'citizen'), now)!.holder).toEqual({ kind: 'person', name: employee.name, idNumberMasked: '440305********2319' })
  })
})

describe('the shared library offers an organisation\'s licence only for that organisation', () => {
  it('applying as themselves: only their own; for the employer: theirs and the employer\'s; for another organisation: not the employer\'s', () => {
    const conn = freshDatabase()
    const orgId = addEmployer(conn)
    const otherOrg = addEmployer(conn, 'citizen', { name: '深圳市另一家公司', uscc: makeUscc('91440300MA5G54321') })
    const own = approvedCase(conn, null, 'SZRS-0001')
    const employers = approvedCase(conn, orgId)
    const citizen = actor(conn, 'citizen')
    const offered = (actingFor: number | null) => listSharedMaterials(conn, { ...citizen, actingFor }, now).map(m => m.code).sort()
    expect(offered(null)).toEqual([own])
    expect(offered(orgId)).toEqual([own, employers].sort())
    expect(offered(otherOrg)).toEqual([own])
  })
})

describe('a company\'s licence from the counter, the case linked to the representative\'s account', () => {
  /** SZRS-0014 received at the counter for the employer, from the citizen (the demo account: linked), approved. */
  function counterLicence(conn: Connection): string {
    const clerk = actor(conn, 'clerk')
    const { caseNo } = writeTransaction(conn, () => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0014', applicant: employee, clerk,
      answers: { orgName: employer.name, orgCode: employer.uscc, bankName: '招商银行', bankAccount: '755912345678', employeeCount: 12, industry: 'it' },
    }, now))
    applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now })
    applyTransition(conn, { caseNo, action: 'approve', version: 2, user: clerk, now })
    return resultOf(conn, caseNo)
  }

  /** The licence's PDF copy among the citizen's uploads, as the shared library makes it. */
  function copyOf(conn: Connection, code: string): string {
    conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES ('licence-copy-1', ?, 'l.pdf', 1000, 'application/pdf', ?, 'x', '2026-03-02T00:00:00Z')`)
      .run(userIdOf(conn, 'citizen'), 'a'.repeat(64))
    conn.sqlite.prepare('UPDATE results SET upload_id = ? WHERE code = ?').run('licence-copy-1', code)
    return 'licence-copy-1'
  }

  it('is never the person\'s own document: not offered for their own application, and its copy refused there', () => {
    const conn = freshDatabase()
    const code = counterLicence(conn)
    const citizen = actor(conn, 'citizen')
    // theirs to see (they represent the company) ...
    expect(listMyResults(conn, citizen, now).map(r => [r.code, r.holder.kind])).toEqual([[code, 'organization']])
    // ... but with no organisation record of the company it serves no application
    expect(listSharedMaterials(conn, { ...citizen, actingFor: null }, now).map(m => m.code)).toEqual([])
    const other = addEmployer(conn, 'citizen', { name: '深圳市另一家公司', uscc: makeUscc('91440300MA5G54321') })
    expect(listSharedMaterials(conn, { ...citizen, actingFor: other }, now).map(m => m.code)).toEqual([])
    const copy = copyOf(conn, code)
    expect([...licenceCopiesOfOthers(conn, [copy], null)]).toEqual([copy])
    expect([...licenceCopiesOfOthers(conn, [copy], other)]).toEqual([copy])
  })

  it('is the company\'s record\'s when the account keeps the company (same USCC): offered for the company only', () => {
    const conn = freshDatabase()
    const orgId = addEmployer(conn)
    const code = counterLicence(conn)
    expect(conn.sqlite.prepare('SELECT holder_org_id AS orgId FROM results WHERE code = ?').get(code)).toEqual({ orgId })
    const citizen = actor(conn, 'citizen')
    expect(listSharedMaterials(conn, { ...citizen, actingFor: null }, now).map(m => m.code)).toEqual([])
    expect(listSharedMaterials(conn, { ...citizen, actingFor: orgId }, now).map(m => m.code)).toEqual([code])
    const copy = copyOf(conn, code)
    expect([...licenceCopiesOfOthers(conn, [copy], null)]).toEqual([copy])
    expect([...licenceCopiesOfOthers(conn, [copy], orgId)]).toEqual([])
  })
})

describe('migration 0008 hands existing organisations\' licences to them', () => {
  it('a result issued to the applicant of an organisation\'s case becomes the organisation\'s; a person\'s stays', () => {
    // the migrations up to 0007, then the old code's rows, then 0008
    const dir = mkdtempSync(join(tmpdir(), 'migrations-0007-'))
    try {
      cpSync('db/migrations', dir, { recursive: true })
      const journalPath = join(dir, 'meta/_journal.json')
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }
      journal.entries = journal.entries.filter(e => e.tag < '0008')
      writeFileSync(journalPath, JSON.stringify(journal))
      const conn = openDatabase('file::memory:')
      applyMigrations(conn, dir)
      seedCatalogue(conn)
      seedDemoAccounts(conn)
      const orgId = addEmployer(conn)
      const insert = conn.sqlite.prepare(`INSERT INTO results (code, case_no, service_code, holder_id, holder_name, holder_id_number, number, issued_at)
        VALUES (?, ?, ?, ?, ?, ?, 'n', '2026-03-02T02:00:00.000Z')`)
      const userId = userIdOf(conn, 'citizen')
      // cases as the code of then wrote them (receiveCase writes the columns of later migrations)
      const oldCase = (caseNo: string, serviceCode: string, organizationId: number | null) => {
        conn.sqlite.prepare(`INSERT INTO cases (case_no, service_code, department_code, applicant_id, organization_id, applicant_name, applicant_id_number,
            channel, status, process_type, answers, received_date, submitted_at, deadline)
          VALUES (?, ?, 'SZRS', ?, ?, ?, ?, 'online', 'approved', 'promised', '{}', '2026-03-02', '2026-03-02T02:00:00.000Z', '2026-03-09')`)
          .run(caseNo, serviceCode, userId, organizationId, employee.name, employee.idNumber)
        return caseNo
      }
      insert.run('ORGANISATION2345', oldCase('SB2026030200001', 'SZRS-0014', orgId), 'SZRS-0014', userId, employee.name, employee.idNumber)
      insert.run('PERSONAL23456789', oldCase('SB2026030200002', 'SZRS-0001', null), 'SZRS-0001', userId, employee.name, employee.idNumber)

      applyMigrations(conn, 'db/migrations')
      const rows = conn.sqlite.prepare(`SELECT code, holder_id AS holderId, holder_kind AS kind, holder_org_id AS orgId, holder_name AS name, holder_id_number AS idNumber
        FROM results ORDER BY code`).all()
      expect(rows).toEqual([
        { code: 'ORGANISATION2345', holderId: userId, kind: 'organization', orgId, name: employer.name, idNumber: employer.uscc },
        { code: 'PERSONAL23456789', holderId: userId, kind: 'person', orgId: null, name: employee.name, idNumber: employee.idNumber },
      ])
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
