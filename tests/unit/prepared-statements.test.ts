import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'

describe('the connection reuses compiled statements', () => {
  it('hands back the same statement for the same SQL', () => {
    const { sqlite } = openDatabase('file::memory:')
    expect(sqlite.prepare('SELECT 1 AS one')).toBe(sqlite.prepare('SELECT 1 AS one'))
  })

  it('resets raw, pluck and expand, which would otherwise stick to the next caller', () => {
    const { sqlite } = openDatabase('file::memory:')
    expect(sqlite.prepare('SELECT 1 AS one').pluck().get()).toBe(1)
    expect(sqlite.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 })
    expect(sqlite.prepare('SELECT 1 AS one').raw().get()).toEqual([1])
    expect(sqlite.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 })
  })

  it('keeps a bounded number of statements, so dynamic SQL cannot grow it without end', () => {
    const { sqlite } = openDatabase('file::memory:')
    const first = sqlite.prepare('SELECT 0')
    for (let i = 1; i <= 600; i++) sqlite.prepare(`SELECT ${i}`)
    expect(sqlite.prepare('SELECT 0')).not.toBe(first)
    expect(sqlite.prepare('SELECT 600')).toBe(sqlite.prepare('SELECT 600'))
  })

  it('still runs a statement whose table changed after it was compiled', () => {
    const { sqlite } = openDatabase('file::memory:')
    sqlite.exec('CREATE TABLE t (a INTEGER)')
    sqlite.prepare('INSERT INTO t (a) VALUES (?)').run(1)
    sqlite.exec('ALTER TABLE t ADD COLUMN b TEXT')
    sqlite.prepare('INSERT INTO t (a) VALUES (?)').run(2)
    expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 })
  })
})
