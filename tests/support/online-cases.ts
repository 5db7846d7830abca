/**
 * The online case the workflow's unit tests move along: the demo citizen's application for a
 * social security card (SZRS-0004: 5 working days to accept, promised 10 to handle) with its photo
 * receipt uploaded, received as a submission receives it (tests/unit/transitions.test.ts,
 * case-documents, return-limit, correction-period).
 */
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'

/** The demo citizen as their account and their answers name them. */
export const CITIZEN = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }

/** An upload row of `owner` (no file behind it: the workflow reads only the row). */
export function photoUpload(conn: Connection, owner: number, id = `up-${owner}-${Math.random().toString(36).slice(2, 10)}`): string {
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, 'photo.jpg', 1000, 'image/jpeg', 'x', ?)`).run(id, owner, id)
  return id
}

/**
 * The citizen's online application received at `when`, its photo as its material: for SZRS-0004
 * with the card's answers unless told otherwise. Returns the case number.
 */
export function receiveOnline(conn: Connection, citizenId: number, when: Date, opts: { serviceCode?: string, answers?: Record<string, unknown> } = {}): string {
  const serviceCode = opts.serviceCode ?? 'SZRS-0004'
  const formVersionId = conn.sqlite.prepare('SELECT form_version_id FROM services WHERE code = ?').pluck().get(serviceCode) as number
  const photo = photoUpload(conn, citizenId)
  return writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId,
    applicant: { userId: citizenId, ...CITIZEN },
    answers: opts.answers ?? { ...CITIZEN, cardBank: 'icbc', collectWay: 'branch', digitalPhotoReceiptFile: [photo] },
    materials: [{ uploadId: photo, fieldKey: 'digitalPhotoReceiptFile', source: 'upload' }],
    actor: { id: citizenId, role: 'citizen' },
  }, when)).caseNo
}
