/** Query plans, for tests that check a page reads only what it needs however much data there is. */
import { vi } from 'vitest'
import type { Connection } from '../../db/client'

/** The plan of every statement matching `about` that `fn` prepares (named and positional parameters bound as NULL), lines joined by ' | '. */
export function plansOf(db: Connection, fn: () => unknown, about: RegExp): { sql: string, plan: string }[] {
  const prepare = vi.spyOn(db.sqlite, 'prepare')
  let prepared: string[]
  try { fn() }
  finally {
    // read before restoring: mockRestore clears the calls
    prepared = prepare.mock.calls.map(([sql]) => sql)
    prepare.mockRestore()
  }
  return [...new Set(prepared)].filter(sql => about.test(sql)).map((sql) => {
    const named = Object.fromEntries([...sql.matchAll(/:(\w+)/g)].map(m => [m[1], null]))
    const positional = Array.from(sql.matchAll(/\?/g), () => null)
    const params = Object.keys(named).length ? [...positional, named] : positional
    return { sql, plan: (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(r => r.detail).join(' | ') }
  })
}
