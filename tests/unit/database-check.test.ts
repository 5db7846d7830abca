import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkDatabase } from '../../server/services/database-check'

let dir: string
let file: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portal-check-'))
  file = join(dir, 'portal.db')
  const db = new Database(file)
  db.exec(`CREATE TABLE cases (id INTEGER PRIMARY KEY, note TEXT); CREATE TABLE uploads (stored_name TEXT, sha256 TEXT);
    INSERT INTO uploads VALUES ('a/b.pdf', 'aa'), ('c/d.png', 'cc')`)
  const add = db.prepare('INSERT INTO cases (note) VALUES (?)')
  db.transaction(() => { for (let i = 0; i < 5000; i++) add.run(`case ${i}`) })()
  db.close()
})

afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('reading a whole database for a backup', () => {
  it('counts rows, checks integrity and lists the uploads', async () => {
    expect(await checkDatabase(file, { tables: ['cases', 'uploads'], integrity: true, uploads: true })).toEqual({
      integrity: 'ok', counts: { cases: 5000, uploads: 2 },
      uploads: [{ storedName: 'a/b.pdf', sha256: 'aa' }, { storedName: 'c/d.png', sha256: 'cc' }],
    })
    expect(await checkDatabase(file, { tables: ['cases'] })).toEqual({ integrity: null, counts: { cases: 5000 }, uploads: null })
  })

  it('does it in another thread: the event loop of the caller keeps turning until the answer comes', async () => {
    let turns = 0
    let done = false
    const spin = (): void => {
      setImmediate(() => {
        if (done) return
        turns++
        spin()
      })
    }
    spin()
    await checkDatabase(file, { tables: ['cases'], integrity: true })
    done = true
    expect(turns).toBeGreaterThan(0)
  })

  it('reports damage that SQLite finds, and refuses a file that is not a database', async () => {
    const db = new Database(file)
    const pageSize = db.pragma('page_size', { simple: true }) as number
    db.close()
    // a page in the middle of the cases table's b-tree overwritten, as a failing disk might
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(pageSize, 0x5A), 0, pageSize, pageSize * 10)
    closeSync(fd)
    const result = await checkDatabase(file, { tables: [], integrity: true }).catch((error: Error) => error)
    expect(result instanceof Error ? result.message : result.integrity).not.toBe('ok')
    writeFileSync(join(dir, 'not.db'), 'hello, this is not SQLite')
    await expect(checkDatabase(join(dir, 'not.db'), { tables: ['cases'], integrity: true })).rejects.toThrow()
  })
})
