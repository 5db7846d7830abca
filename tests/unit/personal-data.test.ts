/**
 * A person using their rights over their account (PIPL arts. 45 and 47): they download a copy of
 * everything the portal holds about them, and they close the account; the government's records
 * of their cases stay.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { login, MAX_FAILED_LOGINS } from '../../server/services/accounts'
import { createDraft, submitApplication } from '../../server/services/applications'
import { receiveCase } from '../../server/services/case-intake'
import { registerPerson } from '../../server/services/registration'
import { CLOSED_ACCOUNT_NAME, closeAccount, closeAccountFromConsole, exportPersonalData } from '../../server/services/personal-data'
import { promptRating, rateCase } from '../../server/services/ratings'
import { revokeResult } from '../../server/services/results'
import { findSessionUser } from '../../server/services/sessions'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const meta = { ip: '192.0.2.1', userAgent: 'Firefox on the test bench' }
const me = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const other = { name: '李慧芳', idNumber: '44030419881115002X', mobile: '13912345678' }
const now = new Date('2026-03-02T02:00:00Z')

let conn: Connection
let dir: string
let citizen: { id: number, role: 'citizen' }
let citizen2: { id: number, role: 'citizen' }
const clerk = () => ({ id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' })
const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

/** An upload as the upload endpoint leaves it: the row and the stored file. */
function uploadOf(ownerId: number, name = 'photo.png'): { id: string, storedName: string } {
  const id = randomBytes(16).toString('base64url')
  const storedName = randomBytes(24).toString('hex')
  writeFileSync(join(dir, storedName), 'not really a picture')
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, ?, 20, 'image/png', ?, ?)`)
    .run(id, ownerId, name, 'a'.repeat(64), storedName)
  return { id, storedName }
}

const photoAnswers = (person: typeof me, photo: string) => ({ ...person, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [photo] })

/** An ID card renewal (SZGA-0001, clerk2's department) submitted online with a photo: an open case. */
function openCase(actor: { id: number, role: 'citizen' }, person: typeof me): { caseNo: string, photo: { id: string, storedName: string } } {
  const photo = uploadOf(actor.id, 'id-photo.png')
  const draft = tx(() => createDraft(conn, actor, { serviceCode: 'SZGA-0001', answers: photoAnswers(person, photo.id) }))
  return { caseNo: tx(() => submitApplication(conn, actor, draft.id)).caseNo, photo }
}

/** An approved case with an e-licence (SZRS-0001), for an organisation when given, rated by the applicant. */
function approvedCase(organizationId: number | null): string {
  const { caseNo } = tx(() => receiveCase(conn, {
    serviceCode: 'SZRS-0001', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, organizationId, ...me }, answers: {}, materials: [], actor: citizen,
  }, now))
  applyTransition(conn, { caseNo, action: 'accept', version: 1, user: clerk(), now })
  applyTransition(conn, { caseNo, action: 'approve', version: 2, user: clerk(), now })
  tx(() => rateCase(conn, caseNo, { ...citizen, departmentCode: null }, { score: 2, comment: '等了很久' }, null, now))
  return caseNo
}

function addOrganization(userId: number, name: string, uscc: string): number {
  return Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(userId, name, uscc).lastInsertRowid)
}

const count = (sql: string, ...params: unknown[]) => (conn.sqlite.prepare(sql).get(...params) as { n: number }).n
const auditRows = (action: string) => conn.sqlite.prepare('SELECT actor_id AS actorId, subject, detail FROM audit_log WHERE action = ?').all(action) as { actorId: number, subject: string, detail: string | null }[]

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'personal-data-'))
  process.env.UPLOAD_DIR = dir
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen' }
  citizen2 = { id: userIdOf(conn, 'citizen2'), role: 'citizen' }
})
afterEach(() => {
  delete process.env.UPLOAD_DIR
  rmSync(dir, { recursive: true, force: true })
})

describe('a person downloading their data', () => {
  it('gets their own details unmasked, their cases, drafts, messages, ratings, uploads, licences and sessions, and nobody else\'s', async () => {
    const signedIn = await login(conn, 'citizen', DEMO_PASSWORD, meta, now)
    if (!signedIn.ok) throw new Error('expected a sign-in')
    addOrganization(citizen.id, '深圳市前海示例科技有限公司', '91440300MA5G12345X')
    const { caseNo: open } = openCase(citizen, me)
    const approved = approvedCase(null)
    const draftPhoto = uploadOf(citizen.id, 'draft-photo.png')
    tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { name: me.name, digitalPhotoReceiptFile: [draftPhoto.id] } }))
    // someone else's life in the same portal
    const { caseNo: theirs } = openCase(citizen2, other)
    uploadOf(citizen2.id, 'their-photo.png')

    const result = await exportPersonalData(conn, citizen, DEMO_PASSWORD, meta.ip, now)
    if (!result.ok) throw new Error('expected the export')
    const { data } = result
    expect(result.fileName).toBe('my-data-2026-03-02.json')
    expect(data.profile).toMatchObject({ username: 'citizen', name: me.name, idNumber: me.idNumber, mobile: me.mobile, email: 'zhangxm@example.com' })
    expect(data.organizations).toEqual([expect.objectContaining({ name: '深圳市前海示例科技有限公司', uscc: '91440300MA5G12345X' })])
    expect(data.applications.map(a => a.status).sort()).toEqual(['draft', 'submitted'])
    expect(data.applications.find(a => a.status === 'draft')!.answers).toMatchObject({ name: me.name })
    expect(data.cases.map(c => c.caseNo).sort()).toEqual([open, approved].sort())
    const openOne = data.cases.find(c => c.caseNo === open)!
    expect(openOne).toMatchObject({ status: 'submitted', serviceCode: 'SZGA-0001', applicant: { name: me.name, idNumber: me.idNumber, mobile: me.mobile } })
    expect(openOne.answers).toMatchObject({ idNumber: me.idNumber, mobile: me.mobile })
    expect(openOne.materials).toEqual([{ fieldKey: 'digitalPhotoReceiptFile', name: 'id-photo.png', size: 20 }])
    const approvedOne = data.cases.find(c => c.caseNo === approved)!
    expect(approvedOne.events.map(e => [e.action, e.byRole])).toEqual([['submit', 'citizen'], ['accept', 'clerk'], ['approve', 'clerk']])
    // which clerk acted is not the person's data
    expect(Object.keys(approvedOne.events[1]!)).not.toContain('actorId')
    expect(data.messages.length).toBeGreaterThan(0)
    expect(data.messages.every(m => m.caseNo === approved || m.caseNo === open)).toBe(true)
    expect(data.ratings).toEqual([expect.objectContaining({ caseNo: approved, score: 2, comment: '等了很久', rectification: expect.objectContaining({ answer: null }) })])
    expect(data.uploads.map(u => u.name).sort()).toEqual(['draft-photo.png', 'id-photo.png'])
    expect(data.results).toEqual([expect.objectContaining({ caseNo: approved, status: 'valid', holderKind: 'person', holderName: me.name })])
    expect(data.sessions).toEqual([expect.objectContaining({ device: meta.userAgent, createdAt: now.toISOString() })])
    // nothing of the session's secret, nothing of the other person
    const text = JSON.stringify(data)
    const { tokenHash } = conn.sqlite.prepare('SELECT token_hash AS tokenHash FROM sessions WHERE user_id = ?').get(citizen.id) as { tokenHash: string }
    for (const secret of [signedIn.token, tokenHash, 'scrypt$', 'tokenHash', 'passwordHash']) expect(text).not.toContain(secret)
    for (const theirsToo of [other.name, other.idNumber, other.mobile, theirs, 'their-photo.png', 'lihf@example.com']) expect(text).not.toContain(theirsToo)

    const audited = auditRows('account.export')
    expect(audited).toEqual([{ actorId: citizen.id, subject: `user:${citizen.id}`, detail: null }])
  })

  it('is refused with a wrong password, which counts towards the sign-in lock', async () => {
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) expect(await exportPersonalData(conn, citizen, 'a guess at it', meta.ip, now)).toEqual({ ok: false, reason: 'wrong' })
    expect(await exportPersonalData(conn, citizen, 'a guess at it', meta.ip, now)).toMatchObject({ ok: false, reason: 'locked' })
    expect(await exportPersonalData(conn, citizen, DEMO_PASSWORD, meta.ip, now)).toMatchObject({ ok: false, reason: 'locked' })
    expect(await login(conn, 'citizen', DEMO_PASSWORD, meta, now)).toMatchObject({ ok: false, reason: 'locked' })
    expect(auditRows('account.export.failed')).toHaveLength(MAX_FAILED_LOGINS - 1)
    expect(auditRows('account.export')).toEqual([])
  })
})

describe('a person closing their account', () => {
  it('is refused while a case is in progress, and told which; nothing is erased', async () => {
    const { caseNo } = openCase(citizen, me)
    expect(await closeAccount(conn, citizen, DEMO_PASSWORD, meta.ip, now)).toEqual({ ok: false, reason: 'openCases', caseNos: [caseNo] })
    expect(conn.sqlite.prepare('SELECT name, id_number AS idNumber, closed_at AS closedAt FROM users WHERE id = ?').get(citizen.id)).toEqual({ name: me.name, idNumber: me.idNumber, closedAt: null })
    expect((await login(conn, 'citizen', DEMO_PASSWORD, meta, now)).ok).toBe(true)
    expect(auditRows('account.close.refused')).toEqual([{ actorId: citizen.id, subject: `user:${citizen.id}`, detail: JSON.stringify({ openCases: 1 }) }])
  })

  it('is refused with a wrong password, counted like a sign-in', async () => {
    expect(await closeAccount(conn, citizen, 'not my password', meta.ip, now)).toEqual({ ok: false, reason: 'wrong' })
    expect(count('SELECT failed_logins AS n FROM users WHERE id = ?', citizen.id)).toBe(1)
    expect(auditRows('account.close.failed')).toHaveLength(1)
  })

  it('erases the account once the cases are finished or withdrawn; the cases, licences and ratings stay', async () => {
    const signedIn = await login(conn, 'citizen', DEMO_PASSWORD, meta, now)
    if (!signedIn.ok) throw new Error('expected a sign-in')
    const { caseNo: withdrawn, photo: casePhoto } = openCase(citizen, me)
    applyTransition(conn, { caseNo: withdrawn, action: 'withdraw', version: 1, user: { ...citizen, departmentCode: null }, now })
    const unusedOrg = addOrganization(citizen.id, '深圳市闲置示例有限公司', '91440300MA5G54321X')
    const usedOrg = addOrganization(citizen.id, '深圳市前海示例科技有限公司', '91440300MA5G12345X')
    const approved = approvedCase(usedOrg)
    const draftPhoto = uploadOf(citizen.id, 'draft-photo.png')
    const loosePhoto = uploadOf(citizen.id, 'never-used.png')
    tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: { name: me.name, digitalPhotoReceiptFile: [draftPhoto.id] } }))
    // the other person's things are not touched
    const { caseNo: theirs, photo: theirPhoto } = openCase(citizen2, other)
    const theirLoose = uploadOf(citizen2.id)
    expect(count('SELECT count(*) AS n FROM messages WHERE user_id = ?', citizen.id)).toBeGreaterThan(0)

    expect(await closeAccount(conn, citizen, DEMO_PASSWORD, meta.ip, now)).toEqual({ ok: true })

    // no sign-in, answered like a wrong password; the old session is gone
    expect(await login(conn, 'citizen', DEMO_PASSWORD, meta, now)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    expect(findSessionUser(conn, signedIn.token, now)).toBeNull()
    // personal fields erased, the username kept and still taken
    expect(conn.sqlite.prepare('SELECT username, name, id_number AS idNumber, mobile, email, closed_at AS closedAt FROM users WHERE id = ?').get(citizen.id))
      .toEqual({ username: 'citizen', name: CLOSED_ACCOUNT_NAME, idNumber: null, mobile: null, email: null, closedAt: now.toISOString() })
    expect(await registerPerson(conn, { username: 'Citizen', password: 'a new long passphrase 2026', ...me }, meta)).toEqual({ ok: false, reason: 'taken' })
    // what belonged to the account alone is gone
    for (const table of ['sessions', 'messages']) expect(count(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`, citizen.id)).toBe(0)
    expect(count(`SELECT count(*) AS n FROM applications WHERE user_id = ? AND status = 'draft'`, citizen.id)).toBe(0)
    const uploadsLeft = (conn.sqlite.prepare('SELECT id FROM uploads WHERE owner_id = ?').all(citizen.id) as { id: string }[]).map(r => r.id)
    expect(uploadsLeft).toEqual([casePhoto.id])
    expect(existsSync(join(dir, casePhoto.storedName))).toBe(true)
    expect(existsSync(join(dir, draftPhoto.storedName))).toBe(false)
    expect(existsSync(join(dir, loosePhoto.storedName))).toBe(false)
    // an organisation a case names stays; the unused one goes
    expect((conn.sqlite.prepare('SELECT id FROM organizations WHERE user_id = ?').all(citizen.id) as { id: number }[]).map(r => r.id)).toEqual([usedOrg])
    expect(count('SELECT count(*) AS n FROM organizations WHERE id = ?', unusedOrg)).toBe(0)
    // government records stay, with their own copy of the applicant
    expect(conn.sqlite.prepare('SELECT case_no AS caseNo, status, applicant_name AS name, applicant_id_number AS idNumber FROM cases WHERE applicant_id = ? ORDER BY case_no').all(citizen.id))
      .toEqual([{ caseNo: withdrawn, status: 'withdrawn', name: me.name, idNumber: me.idNumber }, { caseNo: approved, status: 'approved', name: me.name, idNumber: me.idNumber }].sort((a, b) => a.caseNo.localeCompare(b.caseNo)))
    expect(count('SELECT count(*) AS n FROM results WHERE case_no = ?', approved)).toBe(1)
    expect(count('SELECT count(*) AS n FROM ratings WHERE case_no = ?', approved)).toBe(1)
    expect(count('SELECT count(*) AS n FROM case_events WHERE case_no = ?', withdrawn)).toBe(2)
    // the other person's case, files and sign-in are untouched
    expect(count('SELECT count(*) AS n FROM cases WHERE case_no = ?', theirs)).toBe(1)
    expect(existsSync(join(dir, theirPhoto.storedName)) && existsSync(join(dir, theirLoose.storedName))).toBe(true)
    expect((await login(conn, 'citizen2', DEMO_PASSWORD, meta, now)).ok).toBe(true)
    // audited without personal data
    const [row] = auditRows('account.close')
    expect(row).toMatchObject({ actorId: citizen.id, subject: `user:${citizen.id}` })
    expect(JSON.parse(row!.detail!)).toEqual({ drafts: 1, uploads: 2, messages: expect.any(Number), sessions: 1, organizations: 1, organizationsKept: 1 })
    for (const personal of [me.name, me.idNumber, me.mobile]) expect(row!.detail).not.toContain(personal)
  })

  it('a closed account cannot close or export again: its password is gone', async () => {
    expect(await closeAccount(conn, citizen, DEMO_PASSWORD, meta.ip, now)).toEqual({ ok: true })
    expect(await exportPersonalData(conn, citizen, DEMO_PASSWORD, meta.ip, now)).toEqual({ ok: false, reason: 'wrong' })
  })
})

describe('an account closed again from the console after a restore brought it back', () => {
  it('is erased as the person\'s own closing does, with the console\'s reason audited beside it', async () => {
    const loose = uploadOf(citizen.id, 'never-used.png')
    expect(await closeAccountFromConsole(conn, `user:${citizen.id}`, 'closed on 1 Dec, undone by the restore of 5 Dec', now)).toEqual({ ok: true, userId: citizen.id })
    expect(conn.sqlite.prepare('SELECT name, id_number AS idNumber, mobile, closed_at AS closedAt FROM users WHERE id = ?').get(citizen.id))
      .toEqual({ name: CLOSED_ACCOUNT_NAME, idNumber: null, mobile: null, closedAt: now.toISOString() })
    expect(existsSync(join(dir, loose.storedName))).toBe(false)
    expect((await login(conn, 'citizen', DEMO_PASSWORD, meta, now)).ok).toBe(false)
    expect(auditRows('account.close')).toMatchObject([{ subject: `user:${citizen.id}` }])
    expect(auditRows('account.close.console')).toEqual([{ actorId: null, subject: `user:${citizen.id}`, detail: JSON.stringify({ reason: 'closed on 1 Dec, undone by the restore of 5 Dec' }) }])
    // once closed, there is nothing more to do
    expect(await closeAccountFromConsole(conn, 'citizen', 'again', now)).toEqual({ ok: false, reason: 'alreadyClosed' })
  })

  it('is refused, changing nothing, for an open case, a staff account, an unknown one, or a reason holding an ID number', async () => {
    const { caseNo } = openCase(citizen, me)
    expect(await closeAccountFromConsole(conn, 'citizen', 'restore', now)).toEqual({ ok: false, reason: 'openCases', caseNos: [caseNo] })
    expect(await closeAccountFromConsole(conn, 'clerk', 'restore', now)).toEqual({ ok: false, reason: 'notCitizen' })
    expect(await closeAccountFromConsole(conn, 'user:999999', 'restore', now)).toEqual({ ok: false, reason: 'unknownAccount' })
    expect(await closeAccountFromConsole(conn, 'citizen2', `for ${other.idNumber}`, now)).toEqual({ ok: false, reason: 'reasonPersonalData' })
    expect(await closeAccountFromConsole(conn, 'citizen2', ' ', now)).toEqual({ ok: false, reason: 'reasonMissing' })
    expect(count('SELECT count(*) AS n FROM users WHERE closed_at IS NOT NULL')).toBe(0)
    expect(auditRows('account.close.console')).toEqual([])
  })
})

describe('after the account is closed (a review\'s findings)', () => {
  const close = async (actor: { id: number, role: 'citizen' }, password = DEMO_PASSWORD) => {
    const r = await closeAccount(conn, actor, password, null, now)
    expect(r).toEqual({ ok: true })
  }

  it('keeps the file first handed in with an application that a correction replaced: the application still names it', async () => {
    const { caseNo, photo } = openCase(citizen, me)
    const returned = applyTransition(conn, { caseNo, action: 'return', version: 1, comment: '照片不清晰', supplement: { fields: ['digitalPhotoReceiptFile'], materials: [] }, user: { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }, now })
    const fresh = uploadOf(citizen.id, 'new-photo.png')
    applyTransition(conn, { caseNo, action: 'withdraw', version: returned.version, user: { ...citizen, departmentCode: null }, now })
    // the case holds neither file now (withdrawn before the correction), but the submitted application names the first
    expect(count('SELECT count(*) AS n FROM case_materials WHERE upload_id = ?', photo.id)).toBe(1)
    conn.sqlite.prepare('DELETE FROM case_materials WHERE upload_id = ?').run(photo.id)
    await close(citizen)
    expect(count('SELECT count(*) AS n FROM uploads WHERE id = ?', photo.id)).toBe(1)
    expect(existsSync(join(dir, photo.storedName))).toBe(true)
    // a file nothing names goes
    expect(count('SELECT count(*) AS n FROM uploads WHERE id = ?', fresh.id)).toBe(0)
  })

  it('takes no new rows from requests still in flight, and no messages from staff actions', async () => {
    const caseNo = approvedCase(null)
    // a second approved case, not yet rated, for the clerk to ask about
    const { caseNo: unrated } = tx(() => receiveCase(conn, {
      serviceCode: 'SZRS-0001', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, ...me }, answers: {}, materials: [], actor: citizen,
    }, now))
    applyTransition(conn, { caseNo: unrated, action: 'accept', version: 1, user: clerk(), now })
    applyTransition(conn, { caseNo: unrated, action: 'approve', version: 2, user: clerk(), now })
    await close(citizen)
    expect(() => uploadOf(citizen.id)).toThrow('account closed')
    expect(() => addOrganization(citizen.id, '示例公司', '91440300MA5G12345X')).toThrow('account closed')
    // a clerk's rating prompt is refused as for a person without an account; other notices are dropped
    expect(() => tx(() => promptRating(conn, unrated, clerk(), null, now))).toThrow(/no portal account/)
    const code = (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
    tx(() => revokeResult(conn, code, clerk(), '信息有误', null, now))
    expect(count('SELECT count(*) AS n FROM messages WHERE user_id = ?', citizen.id)).toBe(0)
  })

  it('a sign-in that was checking its password when the account closed gets no session', async () => {
    const signingIn = login(conn, 'citizen', DEMO_PASSWORD, meta, now)
    // closed meanwhile (the sign-in read the account before hashing)
    conn.sqlite.prepare('UPDATE users SET closed_at = ? WHERE id = ?').run(now.toISOString(), citizen.id)
    expect(await signingIn).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    expect(count('SELECT count(*) AS n FROM sessions WHERE user_id = ?', citizen.id)).toBe(0)
  })

  it('a second close racing the first is refused like a wrong password', async () => {
    const first = closeAccount(conn, citizen, DEMO_PASSWORD, null, now)
    const second = closeAccount(conn, citizen, DEMO_PASSWORD, null, now)
    const results = await Promise.all([first, second])
    expect(results.filter(r => r.ok)).toHaveLength(1)
    expect(auditRows('account.close')).toHaveLength(1)
  })
})

describe('the copy of my data (a review\'s findings)', () => {
  it('includes a counter case of mine that no account is linked to, what I did, and the SMS sent to me', async () => {
    const caseNo = approvedCase(null)
    // taken in at the counter, not linked, but the licence is mine (same ID number, name and mobile)
    conn.sqlite.prepare('UPDATE cases SET applicant_id = NULL, channel = \'counter\' WHERE case_no = ?').run(caseNo)
    const r = await exportPersonalData(conn, citizen, DEMO_PASSWORD, '192.0.2.9', now)
    if (!r.ok) throw new Error('expected the export')
    expect(r.data.results.map(x => x.caseNo)).toContain(caseNo)
    expect(r.data.cases.map(c => c.caseNo)).toContain(caseNo)
    expect(r.data.activity).toContainEqual({ at: expect.any(String), action: 'account.export', ip: '192.0.2.9' })
    expect(r.data.notifications.map(n => n.template)).toContain('case.approve')
  })

  it('leaves out the SMS about someone else\'s case sent to my number (a number is not proof of whose it is)', async () => {
    approvedCase(null)
    const exported = async () => {
      const r = await exportPersonalData(conn, citizen, DEMO_PASSWORD, null, now)
      if (!r.ok) throw new Error('expected the export')
      return r.data.notifications
    }
    const mine = await exported()
    expect(mine.length).toBeGreaterThan(0)
    // a stranger gives my mobile at the counter: the receipt of their case goes to my phone
    tx(() => receiveCase(conn, {
      serviceCode: 'SZRS-0006', channel: 'counter', formVersionId: null, applicant: { userId: null, ...other, mobile: me.mobile },
      answers: {}, materials: [], actor: clerk(),
    }, now))
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM outbox WHERE recipient = ?`).get(me.mobile)).toEqual({ n: mine.length + 1 })
    expect(await exported()).toEqual(mine)
  })
})

describe('a case corrected twice (补正记录)', () => {
  const clerk2 = () => ({ id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' })
  const asCitizen = () => ({ ...citizen, departmentCode: null })

  /** Photo 1 with the application, photo 2 with the first correction, photo 3 and delivery by post with the second; then withdrawn. */
  function correctedTwiceThenWithdrawn() {
    const { caseNo, photo } = openCase(citizen, me)
    const second = uploadOf(citizen.id, 'second.png')
    const third = uploadOf(citizen.id, 'third.png')
    // the one-time notice names both; the second return, before acceptance too, may only ask again (一次性告知)
    let v = applyTransition(conn, { caseNo, action: 'return', version: 1, comment: '照片不清晰', supplement: { fields: ['digitalPhotoReceiptFile', 'needMail'], materials: [] }, user: clerk2(), now }).version
    v = applyTransition(conn, { caseNo, action: 'resubmit', version: v, answers: { digitalPhotoReceiptFile: [second.id] }, user: asCitizen(), now }).version
    v = applyTransition(conn, { caseNo, action: 'return', version: v, comment: '请选择邮寄领取并更换照片', supplement: { fields: ['needMail', 'digitalPhotoReceiptFile'], materials: [] }, user: clerk2(), now }).version
    v = applyTransition(conn, { caseNo, action: 'resubmit', version: v, answers: { needMail: true, mailAddress: '深圳市福田区福中三路1号', digitalPhotoReceiptFile: [third.id] }, user: asCitizen(), now }).version
    applyTransition(conn, { caseNo, action: 'withdraw', version: v, user: asCitizen(), now })
    return { caseNo, first: photo, second, third }
  }

  it('closing the account keeps the photo of the first correction, which only the correction record names', async () => {
    const { second } = correctedTwiceThenWithdrawn()
    expect(await closeAccount(conn, citizen, DEMO_PASSWORD, null, now)).toEqual({ ok: true })
    expect(count('SELECT count(*) AS n FROM uploads WHERE id = ?', second.id)).toBe(1)
    expect(existsSync(join(dir, second.storedName))).toBe(true)
  })

  it('the copy of my data has each round with my answers before it, unmasked, and the files it replaced', async () => {
    const { caseNo } = correctedTwiceThenWithdrawn()
    const r = await exportPersonalData(conn, citizen, DEMO_PASSWORD, null, now)
    if (!r.ok) throw new Error('expected the export')
    const corrections = r.data.cases.find(c => c.caseNo === caseNo)!.corrections
    expect(corrections).toEqual([
      { at: now.toISOString(), changedFields: ['digitalPhotoReceiptFile'], previousAnswers: expect.objectContaining({ idNumber: me.idNumber, mobile: me.mobile }), replacedMaterials: [{ fieldKey: 'digitalPhotoReceiptFile', name: 'id-photo.png', size: 20 }] },
      { at: now.toISOString(), changedFields: ['needMail', 'digitalPhotoReceiptFile', 'mailAddress'], previousAnswers: expect.objectContaining({ mobile: me.mobile }), replacedMaterials: [{ fieldKey: 'digitalPhotoReceiptFile', name: 'second.png', size: 20 }] },
    ])
  })
})
