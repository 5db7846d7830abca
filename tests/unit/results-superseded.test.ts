/**
 * A licence held once at a time (身份证, 驾驶证, 残疾人证…): the person who replaces a lost ID card,
 * or renews a driving licence, holds one valid licence afterwards, and a bank clerk scanning the
 * old card's code reads that it was replaced. Other people's licences, other kinds of licence, and
 * licences one may hold several of stay as they were.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { services } from '../../db/seed/catalogue'
import { receiveCase } from '../../server/services/case-intake'
import { SUPERSEDED_REASON } from '../../server/services/result-issue'
import { findResultFor, listMyResults, revokeResult, verifyResult } from '../../server/services/results'
import { applyTransition } from '../../server/services/transitions'
import { editableOptional, optionalElements, withEditedOptional } from '../../shared/utils/guide-optional'
import { buildGuideSchema } from '../../shared/utils/guide-schema'
import { makeUscc } from '../../shared/utils/uscc'
import { freshDatabase, userIdOf } from '../support/db'

const zhang = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const li = { name: '李慧芳', idNumber: '44030419881115002X', mobile: '13912345678' }

function actor(conn: Connection, username: string) {
  return conn.sqlite.prepare(`SELECT id, role, department_code AS departmentCode, id_number AS idNumber FROM users WHERE username = ?`)
    .get(username) as { id: number, role: string, departmentCode: string | null, idNumber: string | null }
}

/** A clerk of the item's department (the demo clerks where they exist, else one made for the test). */
function clerkOf(conn: Connection, serviceCode: string) {
  const { dept } = conn.sqlite.prepare('SELECT department_code AS dept FROM services WHERE code = ?').get(serviceCode) as { dept: string }
  const existing = conn.sqlite.prepare(`SELECT username FROM users WHERE role = 'clerk' AND department_code = ? LIMIT 1`).get(dept) as { username: string } | undefined
  if (existing) return actor(conn, existing.username)
  conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES (?, 'x', 'clerk', ?, '测试受理员')`).run(`clerk-${dept}`, dept)
  return actor(conn, `clerk-${dept}`)
}

/**
 * The licence of a case for `serviceCode`, received (online for an account, else at the counter)
 * and approved on `day` by a clerk of its department: accepted first unless the item is instant.
 */
function issued(conn: Connection, serviceCode: string, day: string, who: { username?: string, name: string, idNumber: string, mobile: string }, answers: Record<string, unknown> = {}): string {
  const now = new Date(`${day}T02:00:00Z`)
  const clerk = clerkOf(conn, serviceCode)
  const userId = who.username ? userIdOf(conn, who.username) : null
  const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: userId ? 'online' : 'counter', formVersionId: null,
    applicant: { userId, name: who.name, idNumber: who.idNumber, mobile: who.mobile }, answers, materials: [],
    actor: userId ? { id: userId, role: 'citizen' } : clerk,
  }, now))
  const { processType } = conn.sqlite.prepare('SELECT process_type AS processType FROM services WHERE code = ?').get(serviceCode) as { processType: string }
  let version = 1
  if (processType !== 'instant') applyTransition(conn, { caseNo, action: 'accept', version: version++, user: clerk, now })
  applyTransition(conn, { caseNo, action: 'approve', version, user: clerk, now })
  return (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
}

const citizen = { username: 'citizen', ...zhang }
const citizen2 = { username: 'citizen2', ...li }
const at = new Date('2026-12-01T02:00:00Z')

describe('a person who replaces a licence they hold once', () => {
  it('holds only the new ID card: the lost one verifies as replaced, with its number, on the day the new one was issued', () => {
    const conn = freshDatabase()
    const lost = issued(conn, 'SZGA-0001', '2026-03-03', citizen)
    const replacement = issued(conn, 'SZGA-0002', '2026-11-26', citizen)
    const old = verifyResult(conn, lost, at)!
    expect(old).toMatchObject({ status: 'revoked', superseded: true, revokedAt: '2026-11-26T02:00:00.000Z', resultName: '中华人民共和国居民身份证' })
    expect(old.number).toMatch(/^SZGA-0001-/)
    expect(JSON.stringify(old)).not.toContain(replacement)
    expect(verifyResult(conn, replacement, at)).toMatchObject({ status: 'valid', superseded: false })
    // the holder's own list says which one replaced it, and why, in its own record
    const mine = listMyResults(conn, actor(conn, 'citizen'), at)
    expect(mine.filter(r => r.resultName === '中华人民共和国居民身份证').map(r => [r.code, r.status, r.supersededBy])).toEqual([
      [replacement, 'valid', null],
      [lost, 'revoked', replacement],
    ])
    expect(findResultFor(conn, lost, actor(conn, 'citizen'), at)).toMatchObject({ revokeReason: SUPERSEDED_REASON, supersededBy: replacement, canRevoke: false })
  })

  it('renewing a driving licence three times leaves only the last one valid, each replacement audited as the approving clerk\'s', () => {
    const conn = freshDatabase()
    const codes = ['2026-02-07', '2026-03-20', '2026-11-30'].map(day => issued(conn, 'SZGA-0009', day, citizen))
    codes.push(issued(conn, 'SZGA-0010', '2026-12-01', citizen))
    expect(codes.map(c => verifyResult(conn, c, at)!.status)).toEqual(['revoked', 'revoked', 'revoked', 'valid'])
    const audit = conn.sqlite.prepare(`SELECT subject, actor_id AS actorId, detail FROM audit_log WHERE action = 'result.supersede' ORDER BY id`).all() as { subject: string, actorId: number, detail: string }[]
    // each replaced by the next: the earlier ones were no longer valid by the time the last came
    expect(audit.map(a => [a.subject, JSON.parse(a.detail).supersededBy])).toEqual([[codes[0], codes[1]], [codes[1], codes[2]], [codes[2], codes[3]]])
    expect(new Set(audit.map(a => a.actorId))).toEqual(new Set([clerkOf(conn, 'SZGA-0009').id]))
  })

  it('is told in the in-app messages, about the old licence, without an SMS for it', () => {
    const conn = freshDatabase()
    const lost = issued(conn, 'SZCL-0001', '2026-07-13', citizen)
    const renewed = issued(conn, 'SZCL-0002', '2026-12-02', citizen)
    const messages = conn.sqlite.prepare(`SELECT case_no AS caseNo, kind, params FROM messages WHERE user_id = ? AND kind = 'resultRevoked'`).all(userIdOf(conn, 'citizen')) as { caseNo: string, kind: string, params: string }[]
    expect(messages).toHaveLength(1)
    expect(JSON.parse(messages[0]!.params)).toEqual({ caseNo: messages[0]!.caseNo, code: lost, reason: SUPERSEDED_REASON, supersededBy: renewed })
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM outbox WHERE template = 'result.revoked'`).get()).toEqual({ n: 0 })
  })

  it('replaces the licence of an earlier counter case without an account too: the holder is the ID number', () => {
    const conn = freshDatabase()
    const atCounter = issued(conn, 'SZGA-0001', '2026-03-03', zhang)
    const online = issued(conn, 'SZGA-0002', '2026-11-26', citizen)
    expect(verifyResult(conn, atCounter, at)).toMatchObject({ status: 'revoked', superseded: true })
    expect(verifyResult(conn, online, at)!.status).toBe('valid')
  })

  it('finds the earlier licences through an index, not by reading every licence the city has issued', () => {
    const conn = freshDatabase()
    issued(conn, 'SZGA-0001', '2026-03-03', citizen)
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    issued(conn, 'SZGA-0002', '2026-11-26', citizen)
    const lookup = prepare.mock.calls.map(([sql]) => sql).find(sql => /FROM results\s+WHERE holder_id_number IN/.test(sql))!
    prepare.mockRestore()
    const plan = (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${lookup.replace(/\?/g, 'NULL')}`).all() as { detail: string }[]).map(r => r.detail).join(' | ')
    expect(plan).toContain('USING INDEX results_holder_title_idx')
  })

  it('leaves an earlier licence that has already expired, or was revoked by its department, as it was', () => {
    const conn = freshDatabase()
    // a renewed driving licence holds ten years: one of 2016 has run out
    const expired = issued(conn, 'SZGA-0009', '2016-02-07', citizen)
    const revokedCode = issued(conn, 'SZGA-0009', '2026-02-07', citizen)
    writeTransaction(conn, () => revokeResult(conn, revokedCode, clerkOf(conn, 'SZGA-0009'), '驾驶证被依法吊销', null, new Date('2026-05-01T02:00:00Z')))
    issued(conn, 'SZGA-0009', '2026-11-30', citizen)
    expect(verifyResult(conn, expired, at)).toMatchObject({ status: 'expired', superseded: false, revokedAt: null })
    expect(verifyResult(conn, revokedCode, at)).toMatchObject({ status: 'revoked', superseded: false, revokedAt: '2026-05-01T02:00:00.000Z' })
  })
})

describe('what a replacement leaves alone', () => {
  it('another person\'s licence of the same kind', () => {
    const conn = freshDatabase()
    const hers = issued(conn, 'SZGA-0001', '2026-03-03', citizen2)
    issued(conn, 'SZGA-0001', '2026-03-04', citizen)
    issued(conn, 'SZGA-0002', '2026-11-26', citizen)
    expect(verifyResult(conn, hers, at)).toMatchObject({ status: 'valid', superseded: false })
  })

  it('the holder\'s licences of other kinds', () => {
    const conn = freshDatabase()
    const passport = issued(conn, 'SZGA-0007', '2026-10-26', citizen)
    const driving = issued(conn, 'SZGA-0009', '2026-02-07', citizen)
    issued(conn, 'SZGA-0002', '2026-11-26', citizen)
    expect([passport, driving].map(c => verifyResult(conn, c, at)!.status)).toEqual(['valid', 'valid'])
  })

  it('licences one may hold several of at once, even under the same title (two subsidies, two 无犯罪记录证明)', () => {
    const conn = freshDatabase()
    const subsidies = [issued(conn, 'SZRS-0009', '2026-05-06', citizen), issued(conn, 'SZRS-0010', '2026-11-16', citizen)]
    const certificates = [issued(conn, 'SZGA-0015', '2026-10-26', citizen), issued(conn, 'SZGA-0015', '2026-11-26', citizen)]
    expect([...subsidies, ...certificates].map(c => verifyResult(conn, c, at)!.status)).toEqual(['valid', 'valid', 'valid', 'valid'])
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'result.supersede'`).get()).toEqual({ n: 0 })
  })

  it('an organisation\'s business licence is replaced by its own reissue only, never a person\'s of the same title', () => {
    const conn = freshDatabase()
    const company = { name: '深圳市张氏科技有限公司', uscc: makeUscc('91440300MA5100001') }
    // a counter case for an organisation names it in the two fields counter intake adds
    const forCompany = { orgName: company.name, orgCode: company.uscc }
    const first = issued(conn, 'SZSJ-0002', '2026-03-03', zhang, forCompany)
    const other = issued(conn, 'SZSJ-0002', '2026-03-03', zhang, { orgName: '深圳市另一家有限公司', orgCode: makeUscc('91440300MA5100002') })
    const soleTrader = issued(conn, 'SZSJ-0001', '2026-04-01', citizen)
    const reissued = issued(conn, 'SZSJ-0011', '2026-11-26', zhang, forCompany)
    expect(verifyResult(conn, first, at)).toMatchObject({ status: 'revoked', superseded: true, holderKind: 'organization' })
    expect([other, soleTrader, reissued].map(c => verifyResult(conn, c, at)!.status)).toEqual(['valid', 'valid', 'valid'])
  })

  it('an item whose guide no longer says its licence replaces earlier ones', () => {
    const conn = freshDatabase()
    const first = issued(conn, 'SZGA-0001', '2026-03-03', citizen)
    conn.sqlite.prepare(`UPDATE services SET details = json_remove(details, '$.resultReplacesEarlier') WHERE code = 'SZGA-0002'`).run()
    issued(conn, 'SZGA-0002', '2026-11-26', citizen)
    expect(verifyResult(conn, first, at)!.status).toBe('valid')
  })
})

describe('the guide says which licences replace earlier ones', () => {
  it('the seed marks the ID card, driving licence, disability certificate and passport items, and not certificates one holds several of', () => {
    const marked = new Set(services.filter(s => s.resultReplacesEarlier).map(s => s.code))
    for (const code of ['SZGA-0001', 'SZGA-0002', 'SZGA-0006', 'SZGA-0007', 'SZGA-0009', 'SZGA-0010', 'SZCL-0001', 'SZCL-0002']) expect(marked).toContain(code)
    for (const code of ['SZGA-0015', 'SZRS-0009', 'SZRS-0010', 'SZGZ-0003', 'SZYC-0001', 'SZJT-0003', 'SZSJ-0001', 'SZSJ-0012']) expect(marked).not.toContain(code)
    // a marked item names the licence it replaces
    for (const s of services.filter(s => s.resultReplacesEarlier)) expect(s.resultName).toBeTruthy()
  })

  it('states the flag only when set, keeps it through the editor, and refuses anything but true or false', () => {
    expect(optionalElements({ resultReplacesEarlier: false })).toEqual({})
    expect(optionalElements({ resultReplacesEarlier: true })).toEqual({ resultReplacesEarlier: true })
    const guide = services.find(s => s.code === 'SZGA-0002')!
    expect(editableOptional(guide).resultReplacesEarlier).toBe(true)
    expect(withEditedOptional(guide, editableOptional(guide)).resultReplacesEarlier).toBe(true)
    const ctx = { departments: ['SZGA'], themes: [] }
    const checked = buildGuideSchema(ctx).safeParse({ ...guide, themes: [], resultReplacesEarlier: 'yes' })
    expect(checked.success).toBe(false)
    expect(checked.error!.issues.map(i => i.path.join('.'))).toEqual(['resultReplacesEarlier'])
    expect(buildGuideSchema(ctx).parse({ ...guide, themes: [] }).resultReplacesEarlier).toBe(true)
  })
})

describe('a replacement applied for online revokes only what the applicant is known to hold', () => {
  /** The licence of an online case made for the account's organisation record `orgId`. */
  function issuedForOrganisation(conn: Connection, day: string, username: string, orgId: number): string {
    const now = new Date(`${day}T02:00:00Z`)
    const clerk = clerkOf(conn, 'SZSJ-0002')
    const person = username === 'citizen' ? zhang : li
    const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: 'SZSJ-0002', channel: 'online', formVersionId: null,
      applicant: { userId: userIdOf(conn, username), organizationId: orgId, ...person }, answers: {}, materials: [],
      actor: { id: userIdOf(conn, username), role: 'citizen' },
    }, now))
    applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk, now })
    applyTransition(conn, { caseNo, action: 'approve', version: 2, user: clerk, now })
    return (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
  }
  const company = { name: '深圳市张氏科技有限公司', uscc: makeUscc('91440300MA5100002') }
  const addOrganisation = (conn: Connection, username: string) => Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)')
    .run(userIdOf(conn, username), company.name, company.uscc).lastInsertRowid)

  it('a stranger who adds a company\'s credit code to their account cannot revoke its business licence; the company\'s own reissue does', () => {
    const conn = freshDatabase()
    const own = addOrganisation(conn, 'citizen')
    const theirs = issuedForOrganisation(conn, '2026-03-03', 'citizen', own)
    // 李慧芳 types the same credit code on /me: nothing checks it, so nothing of the company's is hers to replace
    const strangers = issuedForOrganisation(conn, '2026-11-26', 'citizen2', addOrganisation(conn, 'citizen2'))
    expect(verifyResult(conn, theirs, at)).toMatchObject({ status: 'valid', superseded: false })
    expect(verifyResult(conn, strangers, at)!.status).toBe('valid')
    issuedForOrganisation(conn, '2026-11-27', 'citizen', own)
    expect(verifyResult(conn, theirs, at)).toMatchObject({ status: 'revoked', superseded: true })
    expect(verifyResult(conn, strangers, at)!.status).toBe('valid')
  })

  it('an account whose mobile is not verified replaces its own ID cards only, not one from a counter case of that ID number', () => {
    const conn = freshDatabase()
    const atCounter = issued(conn, 'SZGA-0001', '2026-03-03', zhang)
    conn.sqlite.prepare(`UPDATE users SET mobile_verified_at = NULL WHERE username = 'citizen'`).run()
    const first = issued(conn, 'SZGA-0002', '2026-10-26', citizen)
    const second = issued(conn, 'SZGA-0002', '2026-11-26', citizen)
    expect(verifyResult(conn, atCounter, at)).toMatchObject({ status: 'valid', superseded: false })
    expect(verifyResult(conn, first, at)).toMatchObject({ status: 'revoked', superseded: true })
    expect(verifyResult(conn, second, at)!.status).toBe('valid')
    // a new card taken at the counter, where the person showed their ID card, replaces every one
    issued(conn, 'SZGA-0002', '2026-11-27', zhang)
    expect([atCounter, second].map(c => verifyResult(conn, c, at)!.status)).toEqual(['revoked', 'revoked'])
  })
})
