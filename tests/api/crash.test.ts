/**
 * The crash story: hundreds of people submit applications with their documents at once, the
 * server is killed (SIGKILL, like a power cut of the process) in the middle, and comes back on the
 * same data. Every submission that was acknowledged is there, complete, with its file intact;
 * nothing half-written is visible; orphaned temporary upload files are gone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { answersFor, CLERK_SERVICE, demoPerson, pool, sha256, uniquePdf } from '../support/fixtures'
import type { Person, Uploaded } from '../support/fixtures'
import { startServer, stopServer } from '../support/server'
import type { TestServer } from '../support/server'

const APPLICATIONS = 300
const CONCURRENCY = 50
/** Kill once this many submissions have been acknowledged: well inside the run. */
const KILL_AFTER = 90

interface Acknowledged { caseNo: string, uploadId: string, sha256: string, answers: Record<string, unknown> }

let server: TestServer | undefined
let restarted: TestServer | undefined

afterAll(async () => {
  if (restarted) await stopServer(restarted)
  else if (server) await stopServer(server)
})

/** One person's application: upload, draft, submit. Resolves with what the server acknowledged. */
async function apply(client: Client, person: Person, i: number, sent: Map<string, Buffer>): Promise<Acknowledged> {
  const bytes = uniquePdf(`crash-${i}`, 4096)
  const up = await client.post<Uploaded>('/api/uploads', formOf(bytes))
  if (up.status !== 201) throw new Error(`upload ${up.status}`)
  sent.set(up.body.id, bytes)
  const answers = answersFor(CLERK_SERVICE, person, [up.body.id])
  const draft = await client.post<{ id: string }>('/api/applications', { serviceCode: CLERK_SERVICE, answers })
  if (draft.status !== 201) throw new Error(`draft ${draft.status}`)
  const sub = await client.post<{ caseNo: string }>(`/api/applications/${draft.body.id}/submit`)
  if (sub.status !== 201) throw new Error(`submit ${sub.status}`)
  return { caseNo: sub.body.caseNo, uploadId: up.body.id, sha256: sha256(bytes), answers }
}

function formOf(bytes: Buffer): FormData {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'receipt.pdf')
  return form
}

describe('crash safety', () => {
  it('keeps every acknowledged submission, whole, across a SIGKILL in the middle of hundreds', async () => {
    server = await startServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0' } })
    const citizens = await Promise.all([
      new Client(server.url).login('citizen'),
      new Client(server.url).login('citizen2'),
    ])
    const people = [demoPerson('citizen'), demoPerson('citizen2')]
    const acknowledged: Acknowledged[] = []
    const sent = new Map<string, Buffer>()
    let killed = false
    const outcomes = await pool(APPLICATIONS, CONCURRENCY, async (i) => {
      if (killed) throw new Error('server gone')
      const ack = await apply(citizens[i % 2]!, people[i % 2]!, i, sent)
      acknowledged.push(ack)
      if (!killed && acknowledged.length >= KILL_AFTER) {
        killed = true
        server!.process.kill('SIGKILL')
      }
      return ack
    })
    expect(killed).toBe(true)
    // the kill really cut work off: some requests were in flight and never answered
    expect(outcomes.filter(o => o.status === 'rejected').length).toBeGreaterThan(0)
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER)
    await new Promise<void>(r => server!.process.exitCode !== null || server!.process.signalCode ? r() : server!.process.once('exit', () => r()))

    // a temporary file as an upload cut off by the crash would leave it
    const stray = join(server.dataDir, 'uploads', 'tmp', 'deadbeefdeadbeefdeadbeefdeadbeef.part')
    mkdirSync(join(server.dataDir, 'uploads', 'tmp'), { recursive: true })
    writeFileSync(stray, Buffer.from('%PDF-1.4 half an upload'))

    const { PORT: _oldPort, ...sameEnv } = server.env
    restarted = await startServer({ dataDir: server.dataDir, env: sameEnv })
    expect(existsSync(stray)).toBe(false)
    const again = await Promise.all([new Client(restarted.url).login('citizen'), new Client(restarted.url).login('citizen2')])
    const owner = new Map<string, Client>()
    acknowledged.forEach(a => owner.set(a.caseNo, again[people.findIndex(p => p.idNumber === a.answers.idNumber)]!))

    await pool(acknowledged.length, 10, async (i) => {
      const a = acknowledged[i]!
      const client = owner.get(a.caseNo)!
      const res = await client.get<{ status: string, answers: Record<string, unknown>, materials: { uploadId: string }[] }>(`/api/cases/${a.caseNo}`)
      expect(res.status, a.caseNo).toBe(200)
      expect(res.body.status).toBe('submitted')
      expect(res.body.answers).toMatchObject({ ...a.answers, idNumber: a.answers.idNumber })
      expect(res.body.materials.map(m => m.uploadId)).toEqual([a.uploadId])
      const file = await fetch(`${restarted!.url}/api/uploads/${a.uploadId}`, { headers: { cookie: client.cookie } })
      expect(file.status).toBe(200)
      expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(a.sha256)
    })

    await stopServer(restarted, { keepData: true })
    const db = new Database(join(server.dataDir, 'portal.db'), { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('foreign_key_check')).toEqual([])
      const caseNos = new Set((db.prepare('SELECT case_no AS c FROM cases').all() as { c: string }[]).map(r => r.c))
      for (const a of acknowledged) expect(caseNos.has(a.caseNo), a.caseNo).toBe(true)
      // nothing half-written: every case has its submission event and materials, every submitted
      // application its case, every upload row its file with the recorded checksum
      expect(db.prepare(`SELECT count(*) AS n FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_no = c.case_no AND e.action = 'submit')`).get()).toEqual({ n: 0 })
      // (the demo history's cases come without files; every application of this run had one)
      expect(db.prepare(`SELECT count(*) AS n FROM cases c WHERE c.application_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_materials m WHERE m.case_no = c.case_no)`).get()).toEqual({ n: 0 })
      expect(db.prepare(`SELECT count(*) AS n FROM applications a WHERE a.status = 'submitted' AND (a.case_no IS NULL OR NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_no = a.case_no AND c.application_id = a.id))`).get()).toEqual({ n: 0 })
      expect(db.prepare(`SELECT count(*) AS n FROM applications a WHERE a.status = 'draft' AND EXISTS (SELECT 1 FROM cases c WHERE c.application_id = a.id)`).get()).toEqual({ n: 0 })
      const uploads = db.prepare('SELECT id, stored_name AS storedName, sha256 FROM uploads').all() as { id: string, storedName: string, sha256: string }[]
      for (const u of uploads) {
        const path = join(server.dataDir, 'uploads', u.storedName)
        expect(existsSync(path), `file of upload ${u.id}`).toBe(true)
        expect(sha256(readFileSync(path)), `file of upload ${u.id}`).toBe(u.sha256)
        const bytes = sent.get(u.id)
        if (bytes) expect(sha256(bytes)).toBe(u.sha256)
      }
      const events = db.prepare('SELECT count(*) AS n FROM case_events').get() as { n: number }
      expect(events.n).toBeGreaterThanOrEqual(caseNos.size)
    }
    finally { db.close() }
  }, 240_000)
})
