/**
 * What happens to a file after it is uploaded, told as the people concerned: the applicant whose
 * correction replaced a photo, the applicant of a counter case reading its scans, and the holder
 * of an old e-licence who reuses it in a new application.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { createDraft, saveDraft, submitApplication } from '../../server/services/applications'
import { receiveCase } from '../../server/services/case-intake'
import { removeStaleDrafts } from '../../server/services/drafts-cleanup'
import { attachResult, listSharedMaterials } from '../../server/services/shared-materials'
import { applyTransition } from '../../server/services/transitions'
import { deleteUpload, findUploadForDownload, listMaterials } from '../../server/services/uploads'
import { freshDatabase, userIdOf } from '../support/db'

const me = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }

let conn: Connection
let dir: string
let citizen: { id: number, role: 'citizen', departmentCode: null }
const staff = (username: string, departmentCode: string) => ({ id: userIdOf(conn, username), role: 'clerk' as const, departmentCode })
const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

/** An upload as the upload endpoint leaves it: the row and the stored file. */
function uploadOf(ownerId: number, name = 'photo.png'): string {
  const id = randomBytes(16).toString('base64url')
  const storedName = randomBytes(24).toString('hex')
  writeFileSync(join(dir, storedName), 'not really a picture')
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, ?, 20, 'image/png', ?, ?)`)
    .run(id, ownerId, name, 'a'.repeat(64), storedName)
  return id
}

/** An ID card renewal (SZGA-0001) as the person fills it in, with one photo. */
const photoAnswers = (photo: string) => ({ ...me, renewReason: 'expired', needMail: false, digitalPhotoReceiptFile: [photo] })

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uploads-lifecycle-'))
  process.env.UPLOAD_DIR = dir
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
})
afterEach(() => {
  delete process.env.UPLOAD_DIR
  rmSync(dir, { recursive: true, force: true })
})

describe('a photo a correction replaced', () => {
  it('cannot be deleted while the submitted application names it, and "My materials" shows it as used', () => {
    const first = uploadOf(citizen.id, 'first.png')
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: photoAnswers(first) }))
    const { caseNo } = tx(() => submitApplication(conn, citizen, draft.id))
    const returned = applyTransition(conn, { caseNo, action: 'return', version: 1, comment: '照片不清晰', supplement: { fields: ['digitalPhotoReceiptFile'], materials: [] }, user: staff('clerk2', 'SZGA') })
    const second = uploadOf(citizen.id, 'second.png')
    applyTransition(conn, { caseNo, action: 'resubmit', version: returned.version, answers: { digitalPhotoReceiptFile: [second] }, user: citizen })
    // the case holds only the new photo; the application as it was sent still names the first
    expect(conn.sqlite.prepare('SELECT upload_id AS id FROM case_materials WHERE case_no = ?').all(caseNo)).toEqual([{ id: second }])

    expect(tx(() => deleteUpload(conn, first, citizen))).toBe('attached')
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM uploads WHERE id = ?').get(first)).toEqual({ n: 1 })
    const used = Object.fromEntries(listMaterials(conn, citizen.id).items.map(m => [m.id, m.usedInCases]))
    expect(used).toEqual({ [first]: 1, [second]: 1 })

    // a file nothing names still goes
    const loose = uploadOf(citizen.id, 'loose.png')
    expect(listMaterials(conn, citizen.id).items.find(m => m.id === loose)!.usedInCases).toBe(0)
    expect(tx(() => deleteUpload(conn, loose, citizen))).toMatchObject({ storedName: expect.any(String) })
  })
})

describe('the applicant of a counter case linked to their account', () => {
  it('downloads the scans the clerk made of their papers; another citizen still cannot', () => {
    const clerk = staff('clerk', 'SZRS')
    const scan = uploadOf(clerk.id, 'scan.pdf')
    tx(() => receiveCase(conn, {
      serviceCode: 'SZRS-0006', channel: 'counter', formVersionId: null, applicant: { userId: citizen.id, ...me }, answers: {},
      materials: [{ uploadId: scan, fieldKey: 'scan', source: 'upload' }], actor: clerk,
    }))
    expect(findUploadForDownload(conn, scan, citizen)).toMatchObject({ id: scan, name: 'scan.pdf' })
    expect(findUploadForDownload(conn, scan, { id: userIdOf(conn, 'citizen2'), role: 'citizen', departmentCode: null })).toBeNull()
    expect(findUploadForDownload(conn, scan, clerk)).not.toBeNull()
    expect(findUploadForDownload(conn, scan, staff('clerk2', 'SZGA'))).toBeNull()
  })
})

describe('the copy of an e-licence older than the retention period', () => {
  const issued = new Date('2025-12-01T02:00:00Z')
  const picked = new Date('2026-03-02T02:00:00Z')

  function oldLicence(): string {
    const { caseNo } = tx(() => receiveCase(conn, {
      serviceCode: 'SZRS-0006', channel: 'online', formVersionId: null, applicant: { userId: citizen.id, ...me }, answers: {}, materials: [], actor: citizen,
    }, issued))
    applyTransition(conn, { caseNo, action: 'approve', version: 1, user: staff('clerk', 'SZRS'), now: issued })
    return (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
  }

  it('is dated when it was made, survives the next cleanup, and goes once unused for the retention period', async () => {
    const code = oldLicence()
    const copy = (await attachResult(conn, code, citizen, null, picked))!
    expect(await removeStaleDrafts(conn, new Date(picked.getTime() + 3_600_000), 30)).toEqual({ drafts: 0, uploads: 0 })
    expect(conn.sqlite.prepare('SELECT upload_id AS uploadId FROM results WHERE code = ?').get(code)).toEqual({ uploadId: copy.id })
    // "My materials" shows when the copy was made; the shared library still shows the licence's issue date
    expect(listMaterials(conn, citizen.id).items.find(m => m.id === copy.id)!.createdAt).toBe(picked.toISOString())
    expect(listSharedMaterials(conn, citizen, picked)[0]).toMatchObject({ code, issuedAt: issued.toISOString(), uploadId: copy.id })

    expect(await removeStaleDrafts(conn, new Date(picked.getTime() + 31 * 86_400_000), 30)).toEqual({ drafts: 0, uploads: 1 })
    expect(conn.sqlite.prepare('SELECT upload_id AS uploadId FROM results WHERE code = ?').get(code)).toEqual({ uploadId: null })
  })

  it('picked while filling in an application, still counts as a material from the person\'s library', async () => {
    const code = oldLicence()
    const placeholder = uploadOf(citizen.id)
    const draft = tx(() => createDraft(conn, citizen, { serviceCode: 'SZGA-0001', answers: photoAnswers(placeholder) }, new Date(picked.getTime() - 60_000)))
    const copy = (await attachResult(conn, code, citizen, null, picked))!
    tx(() => saveDraft(conn, citizen, draft.id, photoAnswers(copy.id), picked))
    const { caseNo } = tx(() => submitApplication(conn, citizen, draft.id, null, picked))
    expect(conn.sqlite.prepare('SELECT upload_id AS id, source FROM case_materials WHERE case_no = ?').all(caseNo)).toEqual([{ id: copy.id, source: 'shared' }])
  })
})
