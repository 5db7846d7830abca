import { afterEach, describe, expect, it, vi } from 'vitest'
import { logLine } from '../../server/utils/log'

function spyConsole() {
  return {
    error: vi.spyOn(console, 'error').mockImplementation(() => {}),
    warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
    info: vi.spyOn(console, 'info').mockImplementation(() => {}),
  }
}

afterEach(() => { vi.restoreAllMocks() })

describe('the one server log writer', () => {
  it('writes one JSON line, errors and warnings to stderr and the rest to stdout', () => {
    const spy = spyConsole()
    logLine({ level: 'error', event: 'backup.failed', message: 'disk full' })
    logLine({ level: 'warn', event: 'notify.retry', failed: 2 })
    logLine({ level: 'info', event: 'drafts.cleanup', drafts: 3, uploads: 0 })
    expect(spy.error).toHaveBeenCalledOnce()
    expect(JSON.parse(spy.error.mock.calls[0]![0] as string)).toEqual({ level: 'error', event: 'backup.failed', message: 'disk full' })
    expect(JSON.parse(spy.warn.mock.calls[0]![0] as string)).toEqual({ level: 'warn', event: 'notify.retry', failed: 2 })
    expect(JSON.parse(spy.info.mock.calls[0]![0] as string)).toEqual({ level: 'info', event: 'drafts.cleanup', drafts: 3, uploads: 0 })
    for (const s of Object.values(spy)) for (const [text] of s.mock.calls) expect(text as string).not.toContain('\n')
  })

  it('masks an ID or a mobile number in any field, however deep and whatever its type', () => {
    const spy = spyConsole()
    logLine({
      level: 'error',
      event: 'health.failed',
      message: 'UNIQUE constraint failed for 440305199003072319 (+86 138-1234-5678)',
      path: '/api/services/8613812345678',
      nested: { list: ['13812345678', { deeper: '４４０３０５１９９００３０７２３１９' }] },
      asNumber: 13812345678,
      error: new Error('no account for 13912345678'),
    })
    const text = spy.error.mock.calls[0]![0] as string
    const line = JSON.parse(text) as Record<string, unknown>
    expect(line.message).toBe('UNIQUE constraint failed for 440305********2319 (+86 138****5678)')
    expect(line.path).toBe('/api/services/86138****5678')
    expect(line.nested).toEqual({ list: ['138****5678', { deeper: '440305********2319' }] })
    expect(line.asNumber).toBe('138****5678')
    // an Error's message only: not its stack, cause or other fields
    expect(line.error).toBe('no account for 139****5678')
    for (const secret of ['199003072319', '12345678', '13912345678']) expect(text).not.toContain(secret)
  })

  it('keeps ordinary numbers, booleans and nulls as they are, and a long message short', () => {
    const spy = spyConsole()
    logLine({ level: 'info', event: 'backup', cases: 120_000, ok: true, method: null, message: 'x'.repeat(1000) })
    const line = JSON.parse(spy.info.mock.calls[0]![0] as string) as Record<string, unknown>
    expect(line).toMatchObject({ cases: 120_000, ok: true, method: null })
    expect(line.message).toBe('x'.repeat(300))
  })
})
