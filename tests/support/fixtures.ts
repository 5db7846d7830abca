/**
 * Fixture builders over HTTP, the way a person or a clerk would make them: uploads, drafts,
 * submitted cases, counter cases and extra accounts. Shared by the reliability tests.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { demoAccounts } from '../../db/seed/demo'
import { makeIdNumber } from '../../shared/utils/id-number'
import type { Client } from './client'
import { Client as HttpClient } from './client'
import { fileForm } from './files'
import { latestMobileCode } from './sms'

/** An item of the demo clerk's department (SZRS) with a required file field, promised (承诺件). */
export const CLERK_SERVICE = 'SZRS-0004'
/** An item of the demo clerk's department whose approval issues an electronic result; no file needed. */
export const RESULT_SERVICE = 'SZRS-0010'
/** An item of clerk2's department (SZGA) with a required file field. */
export const CLERK2_SERVICE = 'SZGA-0010'

export interface Person { name: string, idNumber: string, mobile: string }

/** The demo citizens' own details, as their forms are filled in. */
export function demoPerson(username: 'citizen' | 'citizen2'): Person {
  const a = demoAccounts.find(x => x.username === username)!
  return { name: a.name, idNumber: a.idNumber!, mobile: a.mobile! }
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** A small PDF whose content (and so SHA-256) is unique to `label`. */
export function uniquePdf(label: string, padding = 0): Buffer {
  return Buffer.concat([
    Buffer.from(`%PDF-1.4\n% ${label} ${randomBytes(8).toString('hex')}\n`, 'latin1'),
    randomBytes(padding),
    Buffer.from('\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
  ])
}

export interface Uploaded { id: string, name: string, size: number, mime: string, sha256: string }

/** Uploads one file; throws unless the server answers 201. */
export async function upload(client: Client, bytes: Uint8Array, name = 'photo-receipt.pdf'): Promise<Uploaded> {
  const res = await client.post<Uploaded>('/api/uploads', fileForm(bytes, name))
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** Complete answers for the two fixture items, attaching the given upload ids. */
export function answersFor(service: string, person: Person, fileIds: string[]): Record<string, unknown> {
  if (service === CLERK_SERVICE) {
    return { ...person, cardBank: 'icbc', collectWay: 'branch', digitalPhotoReceiptFile: fileIds }
  }
  if (service === RESULT_SERVICE) {
    return { ...person, certificateNo: 'S4403202600123', skillLevel: 'l4', issueDate: '2026-01-05', bankName: '招商银行', bankAccount: '6225880012345678' }
  }
  if (service === CLERK2_SERVICE) {
    return { ...person, lossDate: '2026-01-05', needMail: false, digitalPhotoReceiptFile: fileIds }
  }
  throw new Error(`no fixture answers for ${service}`)
}

export interface Draft { id: string, status: string, answers: Record<string, unknown> }

/** Starts a draft; throws unless 201. */
export async function createDraft(client: Client, service: string, answers: Record<string, unknown> = {}): Promise<Draft> {
  const res = await client.post<Draft>('/api/applications', { serviceCode: service, answers })
  if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/**
 * Deletes the person's unsubmitted drafts of an item, as "my applications" does: the apply page
 * then starts a new draft at once instead of offering to continue one an earlier test left.
 */
export async function discardDrafts(client: Client, service: string): Promise<void> {
  const res = await client.get<{ items: { id: string }[] }>(`/api/applications?status=draft&serviceCode=${service}&pageSize=100`)
  if (res.status !== 200) throw new Error(`drafts: ${res.status} ${JSON.stringify(res.body)}`)
  for (const { id } of res.body.items) {
    const gone = await client.request('DELETE', `/api/applications/${id}`)
    if (gone.status !== 204) throw new Error(`discard ${id}: ${gone.status}`)
  }
}

export interface Submitted { caseNo: string, draftId: string, upload: Uploaded, bytes: Buffer }

/** Upload, draft, submit: the whole online application of one person; throws unless each step succeeds. */
export async function submitOnline(client: Client, person: Person, service = CLERK_SERVICE, label = 'case'): Promise<Submitted> {
  const bytes = uniquePdf(label)
  const file = await upload(client, bytes)
  const draft = await createDraft(client, service, answersFor(service, person, [file.id]))
  const res = await client.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`)
  return { caseNo: res.body.caseNo, draftId: draft.id, upload: file, bytes }
}

/** A counter case taken in by a clerk of the item's department; throws unless 201. */
export async function counterCase(clerk: Client, service: string, person: Person): Promise<string> {
  const answers = answersFor(service, person, [])
  delete answers.digitalPhotoReceiptFile
  const res = await clerk.post<{ caseNo: string }>('/api/counter-cases', { serviceCode: service, applicant: person, answers })
  if (res.status !== 201) throw new Error(`counter case: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.caseNo
}

export interface CaseView {
  caseNo: string
  status: string
  version: number
  answers: Record<string, unknown>
  materials: { uploadId: string, fieldKey: string }[]
  events: { action: string, from: string | null, to: string }[]
  allowedActions: string[]
  deadline: string
  extendedDays: number
}

/** The case as `client` sees it; throws unless 200. */
export async function getCase(client: Client, caseNo: string): Promise<CaseView> {
  const res = await client.get<CaseView>(`/api/cases/${caseNo}`)
  if (res.status !== 200) throw new Error(`case ${caseNo}: ${res.status}`)
  return res.body
}

/** A valid, unique mainland ID number born in 1990 in Futian (440304), from a serial number. */
export function syntheticIdNumber(serial: number): string {
  const day = String((serial % 28) + 1).padStart(2, '0')
  const month = String((Math.floor(serial / 28) % 12) + 1).padStart(2, '0')
  const seq = String(Math.floor(serial / 336) % 1000).padStart(3, '0')
  return makeIdNumber(`4403041990${month}${day}${seq}`)
}

/** Registers and signs in a fresh citizen through the API; throws unless both succeed. */
export async function registerCitizen(base: string, serial: number, prefix = 'rel'): Promise<{ client: Client, person: Person }> {
  const person: Person = { name: `测试${serial}`, idNumber: syntheticIdNumber(serial), mobile: `139${String(serial).padStart(8, '0')}` }
  const username = `${prefix}${serial}-${randomBytes(3).toString('hex')}`
  const password = `Reliable-${randomBytes(6).toString('hex')}`
  const client = new HttpClient(base)
  const res = await client.post('/api/auth/register', { username, password, ...person })
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`)
  await client.login(username, password)
  return { client, person }
}

/**
 * Verifies the signed-in citizen's mobile as the person would: asks for a code, reads it from the
 * SMS queued in the test server's outbox (`dataDir`), and enters it. Counter cases and their
 * licences reach a freshly registered account only after this. Throws unless both steps succeed.
 */
export async function verifyMobile(client: Client, dataDir: string, mobile: string): Promise<void> {
  const asked = await client.post('/api/me/mobile/verification', {})
  if (asked.status !== 202) throw new Error(`mobile code: ${asked.status} ${JSON.stringify(asked.body)}`)
  const res = await client.post('/api/me/mobile/verification/confirm', { code: latestMobileCode(dataDir, mobile) })
  if (res.status !== 200) throw new Error(`mobile verification: ${res.status} ${JSON.stringify(res.body)}`)
}

/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` at once; collects every outcome,
 * so one failure does not hide what happened to the others.
 */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = Array.from({ length: count })
  let next = 0
  async function worker() {
    while (next < count) {
      const i = next++
      try { results[i] = { status: 'fulfilled', value: await task(i) } }
      catch (reason) { results[i] = { status: 'rejected', reason } }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return results
}

/** Every route file under server/api as `METHOD /api/path`. */
export function routeFiles(dir = 'server/api'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return routeFiles(full)
    const m = /^(.*)\.(get|post|put|patch|delete)\.ts$/.exec(relative('server/api', full))
    if (!m) return []
    const path = `/api/${m[1]!}`.replace(/\/index$/, '')
    return [`${m[2]!.toUpperCase()} ${path}`]
  })
}
