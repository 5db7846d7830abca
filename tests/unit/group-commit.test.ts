import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { makeGroupCommit } from '../../db/group-commit'

function setup() {
  const conn = openDatabase('file::memory:')
  conn.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)')
  const batches: number[] = []
  const group = makeGroupCommit(() => conn.sqlite, n => batches.push(n))
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
