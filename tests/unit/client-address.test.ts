import { describe, expect, it } from 'vitest'
import { clientAddress } from '../../server/utils/client-address'

describe('the address a request comes from', () => {
  it('is the connection\'s address unless a proxy is trusted', () => {
    expect(clientAddress('198.51.100.7', '1.2.3.4', false)).toBe('198.51.100.7')
    expect(clientAddress(undefined, undefined, false)).toBe('unknown')
  })

  it('behind the trusted proxy, is the last X-Forwarded-For entry, the one the proxy appended', () => {
    expect(clientAddress('10.0.0.1', '203.0.113.9', true)).toBe('203.0.113.9')
    expect(clientAddress('10.0.0.1', '1.1.1.1, 2.2.2.2,203.0.113.9', true)).toBe('203.0.113.9')
  })

  it('falls back to the connection when the header is missing or empty', () => {
    expect(clientAddress('10.0.0.1', undefined, true)).toBe('10.0.0.1')
    expect(clientAddress('10.0.0.1', ' , ', true)).toBe('10.0.0.1')
  })
})
