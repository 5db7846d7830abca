/**
 * 补正记录 over HTTP: an applicant corrects a photo twice. The photo of the first correction,
 * replaced by the second, stays part of the case: the case shows it in its correction history,
 * the applicant cannot delete it, and the staff who may see the case can still download it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { CLERK_SERVICE, demoPerson, getCase, submitOnline, uniquePdf, upload } from '../support/fixtures'
import type { Uploaded } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()

interface Correction { at: string, changedFields: string[], previousAnswers: Record<string, unknown>, replacedMaterials: { uploadId: string, name: string, size: number, mime: string, fieldKey: string }[] }

let citizen: Client
let clerk: Client
let caseNo = ''
let first = ''
let second: Uploaded
let third: Uploaded

async function returnAndResubmit(fields: string[], answers: Record<string, unknown>) {
  const returned = await clerk.post(`/api/cases/${caseNo}/transitions`, {
    action: 'return', version: (await getCase(clerk, caseNo)).version, comment: '照片不清晰，请重新上传。', supplement: { fields, materials: [] },
  })
  expect(returned.status).toBe(200)
  const res = await citizen.post(`/api/cases/${caseNo}/transitions`, { action: 'resubmit', version: returned.body.version, answers })
  expect(res.status).toBe(200)
}

beforeAll(async () => {
  citizen = await signedIn(server.url, 'citizen')
  clerk = await signedIn(server.url, 'clerk')
  const submitted = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'corrections')
  caseNo = submitted.caseNo
  first = submitted.upload.id
  second = await upload(citizen, uniquePdf('second'), 'second-photo.pdf')
  // the one-time notice names both; the second return, before acceptance too, may only ask again (一次性告知)
  await returnAndResubmit(['digitalPhotoReceiptFile', 'collectWay'], { digitalPhotoReceiptFile: [second.id] })
  third = await upload(citizen, uniquePdf('third'), 'third-photo.pdf')
  await returnAndResubmit(['collectWay', 'digitalPhotoReceiptFile'], { collectWay: 'mail', mailAddress: '深圳市福田区福中三路1号', digitalPhotoReceiptFile: [third.id] })
})

describe('a case corrected twice', () => {
  it('shows each round, oldest first, with the answers it changed, the files it replaced and the earlier answers masked', async () => {
    for (const who of [citizen, clerk, await signedIn(server.url, 'manager')]) {
      const res = await who.get<{ corrections: Correction[] }>(`/api/cases/${caseNo}`)
      expect(res.status).toBe(200)
      const { corrections } = res.body
      expect(corrections.map(k => k.changedFields)).toEqual([['digitalPhotoReceiptFile'], ['collectWay', 'digitalPhotoReceiptFile', 'mailAddress']])
      expect(corrections.map(k => k.replacedMaterials.map(m => m.uploadId))).toEqual([[first], [second.id]])
      expect(corrections[1]!.replacedMaterials[0]).toEqual({ uploadId: second.id, name: 'second-photo.pdf', size: second.size, mime: 'application/pdf', fieldKey: 'digitalPhotoReceiptFile' })
      expect(corrections[0]!.at < corrections[1]!.at).toBe(true)
      const person = demoPerson('citizen')
      expect(corrections[1]!.previousAnswers).toMatchObject({
        idNumber: `${person.idNumber.slice(0, 6)}********${person.idNumber.slice(-4)}`,
        mobile: `${person.mobile.slice(0, 3)}****${person.mobile.slice(-4)}`,
      })
      expect(JSON.stringify(corrections)).not.toContain(person.idNumber)
    }
  })

  it('the replaced photo cannot be deleted and counts as used in a case', async () => {
    expect((await citizen.request('DELETE', `/api/uploads/${second.id}`)).status).toBe(409)
    const mine = await citizen.get<{ items: { id: string, usedInCases: number }[] }>('/api/me/materials?pageSize=100')
    expect(mine.body.items.find(m => m.id === second.id)?.usedInCases).toBe(1)
  })

  it('the applicant, the department\'s clerk and a manager download it; another department\'s clerk and another citizen get 404', async () => {
    for (const who of [citizen, clerk, await signedIn(server.url, 'manager')]) {
      const res = await who.get(`/api/uploads/${second.id}`)
      expect(res.status).toBe(200)
    }
    for (const username of ['clerk2', 'citizen2']) {
      expect((await (await signedIn(server.url, username)).get(`/api/uploads/${second.id}`)).status).toBe(404)
    }
  })
})

describe('a material asked for in a one-time notice', () => {
  it('brings its upload into the notice; a resubmission without a new file is refused by that field, one with it is taken', async () => {
    const { caseNo: asked, upload: old } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'material-asked')
    const notOnline = await clerk.post(`/api/cases/${asked}/transitions`, {
      action: 'return', version: 1, comment: '请补充材料', supplement: { fields: [], materials: ['居民身份证'] },
    })
    expect(notOnline.status).toBe(400)
    expect(notOnline.body.data.fieldErrors).toEqual({ 'supplement.materials.0': 'case.errors.materialNotOnline' })
    const returned = await clerk.post<{ version: number, supplementNotice: unknown }>(`/api/cases/${asked}/transitions`, {
      action: 'return', version: 1, comment: '照片不清晰，请重新上传。', supplement: { fields: [], materials: ['近期免冠彩色数码照片回执'] },
    })
    expect(returned.status).toBe(200)
    expect(returned.body.supplementNotice).toEqual({ fields: ['digitalPhotoReceiptFile'], materials: ['近期免冠彩色数码照片回执'], comment: '照片不清晰，请重新上传。', due: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    const nothing = await citizen.post(`/api/cases/${asked}/transitions`, { action: 'resubmit', version: returned.body.version })
    expect(nothing.status).toBe(400)
    expect(nothing.body.data.fieldErrors).toEqual({ digitalPhotoReceiptFile: 'case.errors.newFileNeeded' })
    const fresh = await upload(citizen, uniquePdf('asked-for'), 'asked-for.pdf')
    const res = await citizen.post<{ status: string, materials: { uploadId: string }[], corrections: Correction[] }>(`/api/cases/${asked}/transitions`, {
      action: 'resubmit', version: returned.body.version, answers: { digitalPhotoReceiptFile: [fresh.id] },
    })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('submitted')
    expect(res.body.materials.map(m => m.uploadId)).toEqual([fresh.id])
    expect(res.body.corrections[0]!.replacedMaterials.map(m => m.uploadId)).toEqual([old.id])
  })
})
