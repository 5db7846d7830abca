/**
 * An acknowledged upload survives a power cut: its bytes and its name are on disk before the row
 * naming it commits. A power cut cannot be staged in a unit test, so this watches the fsync calls
 * themselves: `open` from node:fs/promises is wrapped to record every fsync with what was true
 * at that moment (is the file in its directory yet, is the row written yet).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { attachResult } from '../../server/services/shared-materials'
import { applyTransition } from '../../server/services/transitions'
import { receiveMultipart } from '../../server/services/upload-receive'
import { storeUpload } from '../../server/services/uploads'
import { freshDatabase, userIdOf } from '../support/db'
import { fileForm, samplePdf } from '../support/files'

interface Synced { path: string, entries: string[], uploadRows: number }
const synced: Synced[] = []
let conn: Connection | null = null

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>()
  const open = async (...args: Parameters<typeof fs.open>): Promise<FileHandle> => {
    const fh = await fs.open(...args)
    const path = String(args[0])
    const sync = fh.sync.bind(fh)
    fh.sync = async () => {
      await sync()
      const isDir = (await fs.stat(path)).isDirectory()
      synced.push({
        path, entries: isDir ? readdirSync(path) : [],
        uploadRows: conn ? (conn.sqlite.prepare('SELECT count(*) AS n FROM uploads').get() as { n: number }).n : 0,
      })
    }
    return fh
  }
  return { ...fs, default: { ...fs, open }, open }
})

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uploads-durability-'))
  process.env.UPLOAD_DIR = dir
  synced.length = 0
  conn = freshDatabase()
})
afterEach(() => {
  delete process.env.UPLOAD_DIR
  rmSync(dir, { recursive: true, force: true })
  conn = null
})

async function requestOf(form: FormData) {
  const res = new Response(form)
  const body = Buffer.from(await res.arrayBuffer())
  return Object.assign(Readable.from([body]), { headers: { 'content-type': res.headers.get('content-type')! } })
}

const storedNameOf = (id: string) => (conn!.sqlite.prepare('SELECT stored_name AS s FROM uploads WHERE id = ?').get(id) as { s: string }).s

describe('an upload the portal acknowledged', () => {
  it('has its temporary file and tmp/ synced, then its final name synced in UPLOAD_DIR before the row is written', async () => {
    const file = await receiveMultipart(await requestOf(fileForm(samplePdf, 'a.pdf')))
    const tmpName = file.tmpPath.split(/[/\\]/).pop()!
    expect(synced.map(s => s.path)).toEqual([file.tmpPath, join(dir, 'tmp')])
    expect(synced[1]!.entries).toContain(tmpName)

    synced.length = 0
    const owner = { id: userIdOf(conn!, 'citizen'), role: 'citizen' as const }
    const stored = await storeUpload(conn!, file, owner)
    const storedName = storedNameOf(stored.id)
    expect(synced).toEqual([{ path: dir, entries: expect.arrayContaining([storedName]), uploadRows: 0 }])
    expect(existsSync(join(dir, storedName))).toBe(true)
  })

  it('the copy of an e-licence too: tmp/ after the file is written, UPLOAD_DIR after the rename, both before the row', async () => {
    const now = new Date('2026-03-02T02:00:00Z')
    const citizen = { id: userIdOf(conn!, 'citizen'), role: 'citizen' as const, departmentCode: null }
    const { caseNo } = writeTransaction(conn!, () => receiveCase(conn!, {
      serviceCode: 'SZRS-0006', channel: 'online', formVersionId: null, answers: {}, materials: [], actor: citizen,
      applicant: { userId: citizen.id, name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' },
    }, now))
    applyTransition(conn!, { caseNo, action: 'approve', version: 1, user: { id: userIdOf(conn!, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }, now })
    const code = (conn!.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
    const rowsBefore = (conn!.sqlite.prepare('SELECT count(*) AS n FROM uploads').get() as { n: number }).n

    const copy = (await attachResult(conn!, code, citizen, null, now))!
    const storedName = storedNameOf(copy.id)
    const dirs = synced.filter(s => s.path === dir || s.path === join(dir, 'tmp'))
    expect(dirs.map(s => s.path)).toEqual([join(dir, 'tmp'), dir])
    expect(dirs[1]!.entries).toContain(storedName)
    expect(dirs.every(s => s.uploadRows === rowsBefore)).toBe(true)
    expect(readdirSync(join(dir, 'tmp'))).toEqual([])
  })
})
