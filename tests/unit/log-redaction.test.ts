import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { redactForLog } from '../../server/utils/log-redaction'
import { syntheticIdNumber } from '../support/fixtures'

describe('what may reach a log line', () => {
  it('masks ID and mobile numbers wherever they stand in a path or a message', () => {
    expect(redactForLog('/api/services/44030119900101123x')).toBe('/api/services/440301********123X')
    expect(redactForLog('no account for 13812345678, 440301199001011234')).toBe('no account for 138****5678, 440301********1234')
  })

  it('leaves case numbers, service codes and dates alone', () => {
    const text = '/api/cases/SZ20260105000001 SZRS-0004 2026-01-05'
    expect(redactForLog(text)).toBe(text)
  })

  it('keeps a line to its maximum, counting characters rather than bytes', () => {
    expect(redactForLog('证'.repeat(500))).toBe('证'.repeat(300))
    expect(redactForLog('/a'.repeat(100), 10)).toBe('/a/a/a/a/a')
  })

  it('never lets a valid ID number through, whatever surrounds it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9999 }), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (serial, before, after) => {
      const id = syntheticIdNumber(serial)
      // spaces around it: glued to other digits it would be a longer number, not an ID number
      const line = redactForLog(`${before} ${id} ${after}`, 1000)
      expect(line).not.toContain(id)
    }))
  })
})
