/**
 * 补正记录: what a round of corrections replaced stays part of the case's record, told as the
 * people concerned: the applicant whose second photo was replaced by a third, the clerk who
 * corrects a counter case for someone without an account, and the staff reading the case later.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { createDraft, saveDraft, submitApplication } from '../../server/services/applications'
import { CaseError } from '../../server/services/case-errors'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { receiveCounterCase } from '../../server/services/counter'
import { removeStaleDrafts } from '../../server/services/drafts-cleanup'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { quotaUse } from '../../server/services/upload-quota'
import { deleteUpload, findUploadForDownload, listMaterials } from '../../server/services/uploads'
import { freshDatabase, userIdOf } from '../support/db'

const ME = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }
const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
const now = new Date('2026-03-02T02:00:00Z')

type User = TransitionInput['user']
let conn: Connection
let dir: string
let citizen: User
let clerkGa: User
let clerkRs: User
let manager: User
const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

/** An upload as the upload endpoint leaves it: the row and the stored file. */
function uploadOf(ownerId: number, name: string): string {
  const id = randomBytes(16).toString('base64url')
  const storedName = randomBytes(24).toString('hex')
  writeFileSync(join(dir, storedName), 'not really a picture')
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name, created_at) VALUES (?, ?, ?, 20, 'image/png', ?, ?, '2026-03-01T00:00:00.000Z')`)
    .run(id, ownerId, name, 'a'.repeat(64), storedName)
  return id
}
const storedFile = (id: string) => join(dir, (conn.sqlite.prepare('SELECT stored_name AS s FROM uploads WHERE id = ?').get(id) as { s: string }).s)

function act(caseNo: string, by: User, action: TransitionInput['action'], extra: Partial<TransitionInput> = {}) {
  const version = (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version
  return applyTransition(conn, { caseNo, action, version, user: by, now, ...extra })
}
const returnFor = (caseNo: string, by: User, fields: string[]) => act(caseNo, by, 'return', { comment: '请补正', supplement: { fields, materials: [] } })

/** An ID card renewal applied for online with `photo`, then corrected twice: photo 2, then photo 3 and the card by post. */
function renewalCorrectedTwice() {
  const [first, second, third] = ['first.png', 'second.png', 'third.png'].map(n => uploadOf(citizen.id, n)) as [string, string, string]
  const caseNo = tx(() => {
    const draft = createDraft(conn, { id: citizen.id, role: 'citizen' }, { serviceCode: 'SZGA-0001', answers: { ...ME, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [first] } }, now)
    return submitApplication(conn, { id: citizen.id, role: 'citizen' }, draft.id, null, now).caseNo
  })
  // the one-time notice names both; the second return, before acceptance too, may only ask again (一次性告知)
  returnFor(caseNo, clerkGa, ['digitalPhotoReceiptFile', 'needMail'])
  act(caseNo, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: [second] } })
  returnFor(caseNo, clerkGa, ['needMail', 'digitalPhotoReceiptFile'])
  act(caseNo, citizen, 'resubmit', { answers: { needMail: true, mailAddress: '深圳市福田区福中三路1号', digitalPhotoReceiptFile: [third] } })
  return { caseNo, first, second, third }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'case-corrections-'))
  process.env.UPLOAD_DIR = dir
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerkGa = { id: userIdOf(conn, 'clerk2'), role: 'clerk', departmentCode: 'SZGA' }
  clerkRs = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
})
afterEach(() => {
  delete process.env.UPLOAD_DIR
  rmSync(dir, { recursive: true, force: true })
})

describe('a photo handed in with one correction and replaced by the next', () => {
  it('is recorded with the round that replaced it, with the answers as they stood before each round', () => {
    const { caseNo, first, second } = renewalCorrectedTwice()
    const rounds = conn.sqlite.prepare(`SELECT k.id, e.action, k.previous_answers AS previous FROM case_corrections k JOIN case_events e ON e.id = k.event_id
      WHERE k.case_no = ? ORDER BY k.id`).all(caseNo) as { id: number, action: string, previous: string }[]
    expect(rounds.map(r => r.action)).toEqual(['resubmit', 'resubmit'])
    expect(JSON.parse(rounds[0]!.previous)).toMatchObject({ mobile: ME.mobile, digitalPhotoReceiptFile: [first] })
    expect(JSON.parse(rounds[1]!.previous)).toMatchObject({ mobile: ME.mobile, digitalPhotoReceiptFile: [second] })
    const replaced = conn.sqlite.prepare('SELECT correction_id AS round, upload_id AS id, field_key AS fieldKey, source FROM case_superseded_materials WHERE case_no = ? ORDER BY correction_id')
      .all(caseNo)
    expect(replaced).toEqual([
      // each with the source it had on the case (the first came from the library: older than the draft)
      { round: rounds[0]!.id, id: first, fieldKey: 'digitalPhotoReceiptFile', source: 'shared' },
      { round: rounds[1]!.id, id: second, fieldKey: 'digitalPhotoReceiptFile', source: 'upload' },
    ])
    // the tamper-evident log names what each round took off the case too
    const audited = (conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'case.resubmit' AND subject = ? ORDER BY id`).all(caseNo) as { detail: string }[])
      .map(r => (JSON.parse(r.detail) as { replacedMaterials?: string[] }).replacedMaterials)
    expect(audited).toEqual([[first], [second]])
  })

  it('cannot be deleted, counts as used in the case, stays past the clean-up and outside the quota', async () => {
    const { second } = renewalCorrectedTwice()
    expect(tx(() => deleteUpload(conn, second, citizen as { id: number, role: 'citizen' }))).toBe('attached')
    expect(listMaterials(conn, citizen.id).items.find(m => m.id === second)!.usedInCases).toBe(1)
    expect(quotaUse(conn, citizen.id)).toEqual({ files: 0, bytes: 0 })
    await removeStaleDrafts(conn, new Date(now.getTime() + 400 * 86_400_000), 30)
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM uploads WHERE id = ?').get(second)).toEqual({ n: 1 })
    expect(existsSync(storedFile(second))).toBe(true)
  })

  it('the applicant, the department\'s clerks and managers download it; another department and another citizen do not', () => {
    const { second } = renewalCorrectedTwice()
    expect(findUploadForDownload(conn, second, citizen as { id: number, role: 'citizen', departmentCode: null })).toMatchObject({ id: second, name: 'second.png' })
    expect(findUploadForDownload(conn, second, clerkGa as { id: number, role: 'clerk', departmentCode: string })).not.toBeNull()
    expect(findUploadForDownload(conn, second, manager as { id: number, role: 'manager', departmentCode: null })).not.toBeNull()
    expect(findUploadForDownload(conn, second, clerkRs as { id: number, role: 'clerk', departmentCode: string })).toBeNull()
    expect(findUploadForDownload(conn, second, { id: userIdOf(conn, 'citizen2'), role: 'citizen', departmentCode: null })).toBeNull()
  })
})

describe('a photo a correction replaced, handed in again with a new application', () => {
  it('counts as shared from "my materials", as a file still on a case does', () => {
    // the new application was begun before the photos were uploaded: only their use in a case makes them shared
    const draft = tx(() => createDraft(conn, { id: citizen.id, role: 'citizen' }, { serviceCode: 'SZGA-0001', answers: { ...ME, renewReason: 'expired', needMail: false } }, new Date('2026-02-27T02:00:00Z')))
    const { second } = renewalCorrectedTwice()
    tx(() => saveDraft(conn, { id: citizen.id, role: 'citizen' }, draft.id, { ...ME, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [second] }, now))
    const { caseNo } = tx(() => submitApplication(conn, { id: citizen.id, role: 'citizen' }, draft.id, null, now))
    expect(conn.sqlite.prepare('SELECT upload_id AS id, source FROM case_materials WHERE case_no = ?').all(caseNo)).toEqual([{ id: second, source: 'shared' }])
  })
})

describe('the case page\'s correction history', () => {
  it('lists each round oldest first: when, which answers it changed, the files it replaced, the earlier answers masked', () => {
    const { caseNo, first, second } = renewalCorrectedTwice()
    for (const viewer of [citizen, clerkGa, manager]) {
      const detail = caseDetail(conn, findVisibleCase(conn, caseNo, viewer)!, viewer, now)
      expect(detail.corrections).toEqual([
        { at: now.toISOString(), changedFields: ['digitalPhotoReceiptFile'], previousAnswers: expect.objectContaining({ idNumber: '440305********2319', mobile: '138****8000' }), replacedMaterials: [{ uploadId: first, name: 'first.png', size: 20, mime: 'image/png', fieldKey: 'digitalPhotoReceiptFile' }] },
        { at: now.toISOString(), changedFields: ['needMail', 'digitalPhotoReceiptFile', 'mailAddress'], previousAnswers: expect.objectContaining({ mobile: '138****8000' }), replacedMaterials: [{ uploadId: second, name: 'second.png', size: 20, mime: 'image/png', fieldKey: 'digitalPhotoReceiptFile' }] },
      ])
      expect(JSON.stringify(detail.corrections)).not.toContain(ME.idNumber)
    }
  })

  it('is empty for a case never corrected; a resubmission without new answers to a notice with a reason only is a round that changed nothing', () => {
    const photo = uploadOf(citizen.id, 'photo.png')
    const caseNo = tx(() => {
      const draft = createDraft(conn, { id: citizen.id, role: 'citizen' }, { serviceCode: 'SZGA-0001', answers: { ...ME, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [photo] } }, now)
      return submitApplication(conn, { id: citizen.id, role: 'citizen' }, draft.id, null, now).caseNo
    })
    expect(caseDetail(conn, findVisibleCase(conn, caseNo, citizen)!, citizen, now).corrections).toEqual([])
    returnFor(caseNo, clerkGa, [])
    const after = act(caseNo, citizen, 'resubmit')
    expect(after.corrections).toEqual([{ at: now.toISOString(), changedFields: [], previousAnswers: expect.any(Object), replacedMaterials: [] }])
  })

  it('a notice asking for a material is not answered by a round that changes nothing: no round is recorded', () => {
    const photo = uploadOf(citizen.id, 'photo.png')
    const caseNo = tx(() => {
      const draft = createDraft(conn, { id: citizen.id, role: 'citizen' }, { serviceCode: 'SZGA-0001', answers: { ...ME, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [photo] } }, now)
      return submitApplication(conn, { id: citizen.id, role: 'citizen' }, draft.id, null, now).caseNo
    })
    const returned = act(caseNo, clerkGa, 'return', { comment: '照片不清晰', supplement: { fields: [], materials: ['近期免冠彩色数码照片回执'] } })
    expect(returned.supplementNotice?.fields).toEqual(['digitalPhotoReceiptFile'])
    const e = (() => {
      try {
        act(caseNo, citizen, 'resubmit', { answers: {} })
      }
      catch (err) {
        return err as CaseError
      }
    })()
    expect(e).toBeInstanceOf(CaseError)
    expect(e!.data?.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'case.errors.newFileNeeded' })
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM case_corrections').get()).toEqual({ n: 0 })
    const fresh = uploadOf(citizen.id, 'clear.png')
    const after = act(caseNo, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: [fresh] } })
    expect(after.corrections).toEqual([expect.objectContaining({ changedFields: ['digitalPhotoReceiptFile'], replacedMaterials: [expect.objectContaining({ uploadId: photo })] })])
  })

  it('a refused correction leaves no round behind', () => {
    const photo = uploadOf(citizen.id, 'photo.png')
    const caseNo = tx(() => {
      const draft = createDraft(conn, { id: citizen.id, role: 'citizen' }, { serviceCode: 'SZGA-0001', answers: { ...ME, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [photo] } }, now)
      return submitApplication(conn, { id: citizen.id, role: 'citizen' }, draft.id, null, now).caseNo
    })
    returnFor(caseNo, clerkGa, ['digitalPhotoReceiptFile'])
    const foreign = uploadOf(userIdOf(conn, 'citizen2'), 'not-mine.png')
    expect(() => act(caseNo, citizen, 'resubmit', { answers: { digitalPhotoReceiptFile: [foreign] } })).toThrow(CaseError)
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM case_corrections').get()).toEqual({ n: 0 })
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM case_superseded_materials').get()).toEqual({ n: 0 })
  })
})

describe('a clerk correcting a counter case for a person without an account', () => {
  it('keeps the scan the correction replaced as the department\'s, not the clerk\'s once moved elsewhere', () => {
    const [scan1, scan2] = [uploadOf(clerkRs.id, 'scan-1.pdf'), uploadOf(clerkRs.id, 'scan-2.pdf')]
    const { caseNo } = tx(() => receiveCounterCase(conn, {
      serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'boc', collectWay: 'branch', digitalPhotoReceiptFile: [scan1] }, clerk: clerkRs,
    }, now))
    returnFor(caseNo, clerkRs, ['digitalPhotoReceiptFile'])
    const after = act(caseNo, clerkRs, 'resubmit', { answers: { digitalPhotoReceiptFile: [scan2] } })
    expect(after.corrections).toHaveLength(1)
    expect(after.corrections[0]!.replacedMaterials.map(m => m.uploadId)).toEqual([scan1])
    expect(tx(() => deleteUpload(conn, scan1, { id: clerkRs.id, role: 'clerk' }))).toBe('attached')
    expect(findUploadForDownload(conn, scan1, { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' })).not.toBeNull()
    // the clerk moves to another department (npm run user:role): the case's scans, replaced or not, stay behind
    conn.sqlite.prepare(`UPDATE users SET department_code = 'SZGA' WHERE id = ?`).run(clerkRs.id)
    expect(findUploadForDownload(conn, scan1, { id: clerkRs.id, role: 'clerk', departmentCode: 'SZGA' })).toBeNull()
    expect(findUploadForDownload(conn, scan2, { id: clerkRs.id, role: 'clerk', departmentCode: 'SZGA' })).toBeNull()
  })
})

describe('the record costs a lookup, not a scan', () => {
  it('reading a case, the materials page, a download and the clean-up reach the rounds through their indexes', async () => {
    const { caseNo, second } = renewalCorrectedTwice()
    const prepare = vi.spyOn(conn.sqlite, 'prepare')
    let prepared: string[]
    try {
      caseDetail(conn, findVisibleCase(conn, caseNo, clerkGa)!, clerkGa, now)
      listMaterials(conn, citizen.id)
      findUploadForDownload(conn, second, clerkGa as { id: number, role: 'clerk', departmentCode: string })
      await removeStaleDrafts(conn, now, 30)
    }
    finally {
      // read before restoring: mockRestore clears the calls
      prepared = prepare.mock.calls.map(([sql]) => sql)
      prepare.mockRestore()
    }
    const statements = [...new Set(prepared)].filter(sql => /^\s*SELECT/i.test(sql) && /case_corrections|case_superseded_materials/.test(sql))
    expect(statements.length).toBeGreaterThan(3)
    for (const sql of statements) {
      const plan = (conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/\?|[@:$][A-Za-z_]\w*/g, 'NULL')}`).all() as { detail: string }[]).map(r => r.detail).join(' | ')
      expect(plan, sql).not.toMatch(/SCAN (case_corrections|case_superseded_materials|h|s|k)\b/)
    }
  })
})
