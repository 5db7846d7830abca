/**
 * Open data publishes only months that have ended: a month still running grows case by case, so
 * two downloads minutes apart would give away the one case received in between.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { lastPublishedDay, openRates } from '../../server/services/open-data'
import { freshDatabase } from '../support/db'

// Wednesday 11 March 2026, 10:00 in Shanghai
const NOW = new Date('2026-03-11T10:00:00+08:00')

function addDay(conn: Connection, day: string, received: number) {
  conn.sqlite.prepare(`INSERT INTO case_daily (day, department_code, received, received_online, completed, completed_on_time)
    VALUES (?, 'SZRS', ?, ?, 0, 0) ON CONFLICT (day, department_code) DO UPDATE SET received = received + excluded.received, received_online = received_online + excluded.received_online`)
    .run(day, received, received)
}

describe('the open-data platform downloading the monthly rates', () => {
  let conn: Connection
  const months = (year: number, now: Date) => openRates(conn, year, now).map(r => r.month)

  beforeEach(() => {
    conn = freshDatabase({ demo: false })
    for (const day of ['2025-12-31', '2026-01-15', '2026-02-28', '2026-03-02']) addDay(conn, day, 10)
  })

  it('gets this year up to the last month that has ended, not the month under way', () => {
    expect(months(2026, NOW)).toEqual(['2026-01', '2026-02'])
    expect(months(2025, NOW)).toEqual(['2025-12'])
    expect(months(2027, NOW)).toEqual([])
  })

  it('sees nothing change between two downloads with a case received in between', () => {
    const before = openRates(conn, 2026, NOW)
    addDay(conn, '2026-03-11', 1)
    expect(openRates(conn, 2026, new Date(NOW.getTime() + 60_000))).toEqual(before)
  })

  it('counts a month as ended at midnight in Shanghai, not in UTC', () => {
    // 23:59 on 28 February in Shanghai: February is still under way
    expect(months(2026, new Date('2026-02-28T15:59:00Z'))).toEqual(['2026-01'])
    // 00:30 on 1 March in Shanghai (still 28 February in UTC): February has ended
    expect(months(2026, new Date('2026-02-28T16:30:00Z'))).toEqual(['2026-01', '2026-02'])
    // the first days of January publish all of last December and nothing of this year
    expect(months(2026, new Date('2026-01-02T10:00:00+08:00'))).toEqual([])
    expect(months(2025, new Date('2026-01-02T10:00:00+08:00'))).toEqual(['2025-12'])
  })

  it('names the last day covered', () => {
    expect(lastPublishedDay(NOW)).toBe('2026-02-28')
    expect(lastPublishedDay(new Date('2024-03-01T00:00:00+08:00'))).toBe('2024-02-29')
  })
})
