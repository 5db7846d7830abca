import { beforeEach, describe, expect, it } from 'vitest'
import { forgetPublicPages, keepPage, keptHeaders, keptPage, PAGE_MAX_AGE_MS, withNonce } from '../../server/utils/public-page-cache'
import type { KeptPage } from '../../server/utils/public-page-cache'

const page = (body: string, at = 0, version = 7): KeptPage => ({ version, at, nonce: 'old+Nonce/1', headers: [], body })

describe('kept public pages', () => {
  beforeEach(forgetPublicPages)

  it('are given back while the catalogue stays at the version they were rendered at, for a minute', () => {
    keepPage('http - /services/A', page('<p>A</p>', 1_000))
    expect(keptPage('http - /services/A', 7, 1_000 + PAGE_MAX_AGE_MS - 1)?.body).toBe('<p>A</p>')
    expect(keptPage('http - /services/A', 8, 1_001)).toBeUndefined()
    // a stale page is dropped, not kept for when the version would match again
    expect(keptPage('http - /services/A', 7, 1_001)).toBeUndefined()
    keepPage('http - /services/A', page('<p>A</p>', 1_000))
    expect(keptPage('http - /services/A', 7, 1_000 + PAGE_MAX_AGE_MS)).toBeUndefined()
  })

  it('hold at most 500 pages, the least recently used going first', () => {
    for (let i = 0; i < 500; i++) keepPage(`k${i}`, page(`<p>${i}</p>`))
    expect(keptPage('k0', 7, 0)).toBeDefined()
    keepPage('k500', page('<p>500</p>'))
    expect(keptPage('k1', 7, 0)).toBeUndefined()
    expect(keptPage('k0', 7, 0)).toBeDefined()
    expect(keptPage('k500', 7, 0)).toBeDefined()
  })

  it('hold about 32 MB of text at most, and no single page over a tenth of it', () => {
    const big = 'x'.repeat(1_500_000)
    for (let i = 0; i < 12; i++) keepPage(`big${i}`, page(big))
    const kept = Array.from({ length: 12 }, (_, i) => keptPage(`big${i}`, 7, 0)).filter(Boolean)
    expect(kept.length).toBe(10)
    keepPage('huge', page('x'.repeat(1_600_001)))
    expect(keptPage('huge', 7, 0)).toBeUndefined()
  })
})

describe('a kept page sent again', () => {
  it('carries the new nonce in every attribute and in the policy, and nothing else changes', () => {
    const html = '<script nonce="old+Nonce/1" src="/a.js"></script><p>nonce="other" old+Nonce/1</p><link nonce="old+Nonce/1">'
    expect(withNonce(html, 'old+Nonce/1', 'NEW')).toBe('<script nonce="NEW" src="/a.js"></script><p>nonce="other" old+Nonce/1</p><link nonce="NEW">')
    expect(withNonce(`script-src 'self' 'nonce-old+Nonce/1' 'strict-dynamic'`, 'old+Nonce/1', 'NEW')).toBe(`script-src 'self' 'nonce-NEW' 'strict-dynamic'`)
  })
})

describe('the headers kept with a page', () => {
  it('are the page\'s own, never a cookie the render set for the visitor it was rendered for', () => {
    const rendered = {
      'content-type': 'text/html;charset=utf-8',
      'x-frame-options': 'DENY',
      'content-security-policy': `script-src 'nonce-old+Nonce/1'`,
      'set-cookie': ['large_text=0; Max-Age=31536000; Path=/; SameSite=Lax'],
      'Set-Cookie': 'i18n_locale=en; Path=/',
      'content-length': 1234,
      'date': 'Mon, 02 Mar 2026 02:00:00 GMT',
      'x-page-cache': 'miss',
      'strict-transport-security': 'max-age=31536000',
      'vary': undefined,
    }
    expect(keptHeaders(rendered)).toEqual([
      ['content-type', 'text/html;charset=utf-8'],
      ['x-frame-options', 'DENY'],
      ['content-security-policy', `script-src 'nonce-old+Nonce/1'`],
    ])
  })
})
