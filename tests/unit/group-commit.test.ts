import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import type { Connection } from '../../db/client'
import { makeGroupCommit } from '../../db/group-commit'
import { walSyncOf } from '../../db/wal-sync'

function setup() {
  const conn = openDatabase('file::memory:')
  conn.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)')
  const batches: number[] = []
  const group = makeGroupCommit(() => conn.sqlite, { onBatch: n => batches.push(n) })
  const insert = (v: string) => () => conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid
  const values = () => (conn.sqlite.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map(r => r.v)
  return { conn, batches, group, insert, values }
}

describe('group commit', () => {
  it('answers writes that arrive together after one shared commit', async () => {
    const { batches, group, insert, values } = setup()
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map(v => group(insert(v))))
    expect(ids).toEqual([1, 2, 3, 4])
    expect(batches).toEqual([4])
    expect(values()).toEqual(['a', 'b', 'c', 'd'])
  })

  it('rolls back only the write that failed and rejects only its caller', async () => {
    const { group, insert, values } = setup()
    const results = await Promise.allSettled([group(insert('x')), group(insert('x')), group(insert('y'))])
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/)
    expect(values()).toEqual(['x', 'y'])
  })

  it('undoes every statement of a failed write, not just the last one', async () => {
    const { conn, group, values } = setup()
    const twoThenFail = () => {
      conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('half-1')
      conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('half-2')
      throw new Error('refused')
    }
    await expect(group(twoThenFail)).rejects.toThrow('refused')
    await group(() => conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('whole'))
    expect(values()).toEqual(['whole'])
  })

  it('splits a burst into bounded transactions and keeps every write', async () => {
    const { batches, group, insert, values } = setup()
    await Promise.all(Array.from({ length: 150 }, (_, i) => group(insert(`v${i}`))))
    expect(batches).toEqual([64, 64, 22])
    expect(values()).toHaveLength(150)
  })
})

describe('group commit when SQLite abandons the whole transaction', () => {
  it('rejects every write of the batch and keeps none of them', async () => {
    const { conn, group, insert, values } = setup()
    // ROLLBACK inside a job stands for an error after which SQLite ends the transaction itself.
    const abandon = () => {
      conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('lost')
      conn.sqlite.exec('ROLLBACK')
      throw new Error('disk I/O error')
    }
    const results = await Promise.allSettled([group(insert('before')), group(abandon), group(insert('after'))])
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(values()).toEqual([])
  })
})

describe('group commit on a database file (WAL, synchronous=FULL)', () => {
  const opened: { conn: Connection, dir: string }[] = []
  afterEach(() => {
    for (const { conn, dir } of opened.splice(0)) {
      conn.sqlite.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  function fileDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'group-commit-'))
    const conn = openDatabase(`file:${join(dir, 'portal.db')}`)
    conn.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)')
    opened.push({ conn, dir })
    return conn
  }

  /** A WAL sync the test finishes by hand, to see what callers know before the disk is done. */
  function heldSync() {
    const pending: { finish: () => void, fail: (e: Error) => void }[] = []
    const walSync = () => () => new Promise<void>((resolve, reject) => { pending.push({ finish: resolve, fail: reject }) })
    return { walSync, pending }
  }

  it('answers only after the WAL has been synced, and leaves the connection at FULL', async () => {
    const conn = fileDatabase()
    const held = heldSync()
    const group = makeGroupCommit(() => conn.sqlite, { walSync: held.walSync })
    let levelInside: unknown
    let answered = false
    const write = group(() => {
      levelInside = conn.sqlite.pragma('synchronous', { simple: true })
      return conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('kept').changes
    }).then((n) => { answered = true; return n })
    await new Promise(r => setTimeout(r, 20))
    expect(held.pending).toHaveLength(1)
    expect(answered).toBe(false)
    expect(levelInside).toBe(1) // NORMAL inside the batch: the sync comes after
    expect(conn.sqlite.pragma('synchronous', { simple: true })).toBe(2)
    held.pending[0]!.finish()
    await expect(write).resolves.toBe(1)
  })

  it('holds the writes that arrive during a sync and commits them together once it ends', async () => {
    const conn = fileDatabase()
    const held = heldSync()
    const batches: number[] = []
    const group = makeGroupCommit(() => conn.sqlite, { walSync: held.walSync, onBatch: n => batches.push(n) })
    const insert = (v: string) => group(() => conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes)
    const first = insert('first')
    await new Promise(r => setTimeout(r, 20))
    const later = ['b', 'c', 'd'].map(insert)
    await new Promise(r => setTimeout(r, 20))
    // nothing of the later writes is committed while the first batch's sync runs
    expect((conn.sqlite.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map(r => r.v)).toEqual(['first'])
    held.pending[0]!.finish()
    await first
    await new Promise(r => setTimeout(r, 20))
    expect(held.pending).toHaveLength(2)
    held.pending[1]!.finish()
    await expect(Promise.all(later)).resolves.toEqual([1, 1, 1])
    expect(batches).toEqual([1, 3])
  })

  it('tells every caller of the batch when the sync fails', async () => {
    const conn = fileDatabase()
    const held = heldSync()
    const group = makeGroupCommit(() => conn.sqlite, { walSync: held.walSync })
    const writes = Promise.allSettled(['a', 'b'].map(v => group(() => conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run(v))))
    await new Promise(r => setTimeout(r, 20))
    held.pending[0]!.fail(new Error('EIO: i/o error, fdatasync'))
    expect((await writes).map(r => r.status)).toEqual(['rejected', 'rejected'])
    // the next write is not stuck behind the failed sync
    const next = group(() => conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('next').changes)
    await new Promise(r => setTimeout(r, 20))
    held.pending[1]!.finish()
    await expect(next).resolves.toBe(1)
  })

  it('syncs the real WAL file and keeps every write across a reopen', async () => {
    const conn = fileDatabase()
    const group = makeGroupCommit(() => conn.sqlite)
    await Promise.all(Array.from({ length: 20 }, (_, i) => group(() => conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run(`w${i}`))))
    const again = openDatabase(`file:${conn.path}`)
    expect((again.sqlite.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(20)
    again.sqlite.close()
  })

  it('shares one sync among the callers that ask while one is running', async () => {
    const conn = fileDatabase()
    conn.sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('x')
    const sync = walSyncOf(conn.sqlite)
    const first = sync()
    const [second, third] = [sync(), sync()]
    expect(second).toBe(third)
    expect(second).not.toBe(first)
    await Promise.all([first, second, third])
  })
})
