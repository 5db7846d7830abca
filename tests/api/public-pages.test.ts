/**
 * Public pages kept rendered for visitors who are not signed in (server/utils/public-page-cache.ts),
 * against the built server: what a kept page may differ in (only its nonce), who is never served
 * one, and that a change to the catalogue shows at once.
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { demoPerson } from '../support/fixtures'
import { useTestServer } from '../support/server'

const server = useTestServer()

interface Page { status: number, html: string, cache: string | null, policyNonce: string | undefined, nonces: Set<string> }

async function visit(path: string, cookie?: string): Promise<Page> {
  const res = await fetch(server.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' })
  const html = await res.text()
  return {
    status: res.status, html, cache: res.headers.get('x-page-cache'),
    policyNonce: /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1],
    nonces: new Set([...html.matchAll(/nonce="([^"]*)"/g)].map(m => m[1]!)),
  }
}

const withoutNonces = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""')

describe('a guide kept for visitors who are not signed in', () => {
  it('is rendered once, then sent again with a fresh nonce that the policy and every tag share', async () => {
    const first = await visit('/services/SZRS-0011')
    const second = await visit('/services/SZRS-0011')
    expect([first.status, second.status]).toEqual([200, 200])
    expect([first.cache, second.cache]).toEqual(['miss', 'hit'])
    for (const page of [first, second]) {
      expect(page.policyNonce).toMatch(/^[\w+/=]{16,}$/)
      expect([...page.nonces]).toEqual([page.policyNonce])
    }
    expect(second.policyNonce).not.toBe(first.policyNonce)
    expect(withoutNonces(second.html)).toBe(withoutNonces(first.html))
    expect(second.html).toContain('职工基本养老保险待遇申领')
  })

  it('keeps the security headers of the rendered page, never the cookie the render set for its own visitor', async () => {
    const rendered = await fetch(`${server.url}/services/SZRS-0012`)
    expect(rendered.headers.get('x-page-cache')).toBe('miss')
    expect(rendered.headers.getSetCookie()).toEqual([expect.stringMatching(/^large_text=0;/)])
    const res = await fetch(`${server.url}/services/SZRS-0012`)
    expect(res.headers.get('x-page-cache')).toBe('hit')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('is kept apart for each language and for the large-text mode', async () => {
    const zh = await visit('/services/SZRS-0011', 'large_text=0')
    const large = await visit('/services/SZRS-0011', 'large_text=1')
    const largeAgain = await visit('/services/SZRS-0011', 'large_text=1')
    const en = await visit('/en/services/SZRS-0011')
    const enAgain = await visit('/en/services/SZRS-0011')
    expect(zh.html).not.toContain('class="large-text"')
    expect(largeAgain.cache).toBe('hit')
    for (const page of [large, largeAgain]) expect(page.html).toContain('class="large-text"')
    expect(enAgain.cache).toBe('hit')
    for (const page of [en, enAgain]) {
      expect(page.html).toContain('lang="en"')
      expect(page.html).toContain('Claim for Basic Pension on Retirement')
    }
  })

  it('is kept apart for each Host a request names, so a forged one cannot poison what others get', async () => {
    await visit('/services/SZRS-0013')
    expect((await visit('/services/SZRS-0013')).cache).toBe('hit')
    const forged = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(`${server.url}/services/SZRS-0013`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.headers['x-page-cache'] as string | undefined))
      })
      req.on('error', reject)
      req.end()
    })
    expect(forged).toBe('miss')
  })

  it('is never what a signed-in person gets: their page is rendered for them', async () => {
    await visit('/services/SZRS-0011')
    const citizen = await signedIn(server.url, 'citizen')
    const page = await visit('/services/SZRS-0011', citizen.cookie)
    expect(page.status).toBe(200)
    expect(page.cache).toBeNull()
    expect(page.html).toContain(demoPerson('citizen').name)
  })

  it('is not kept when the item does not exist, when the page\'s data could not be fetched, nor for an odd large-text cookie', async () => {
    for (let i = 0; i < 2; i++) {
      const missing = await visit('/services/NO-SUCH-ITEM')
      expect(missing.status).toBe(404)
      expect(missing.cache).toBe('miss')
      // the search API refuses the page number; the catalogue page still renders, with the error
      const refused = await visit('/services?page=abc')
      expect(refused.status).toBe(200)
      expect(refused.cache).toBe('miss')
    }
    for (let i = 0; i < 2; i++) expect((await visit('/services/SZRS-0011', 'large_text=%3Cscript%3E')).cache).toBeNull()
    // %31 decodes to 1, but the page reads the cookie as sent and renders normal text: kept under
    // the large-text key, it would be served to every large-text visitor for a minute
    for (let i = 0; i < 2; i++) expect((await visit('/services/SZRS-0012', 'large_text=%31')).cache).toBeNull()
    const large = await visit('/services/SZRS-0012', 'large_text=1')
    expect(large.html).toMatch(/<html[^>]*class="[^"]*large-text/)
  })

  it('shows a published change to the item at the next visit', async () => {
    expect((await visit('/services/SZRS-0003')).html).not.toContain('（2027 年修订）')
    expect((await visit('/services/SZRS-0003')).cache).toBe('hit')
    const clerk = await signedIn(server.url, 'clerk')
    const current = (await clerk.get('/api/manage/services/SZRS-0003')).body.current
    expect((await clerk.put('/api/manage/services/SZRS-0003/draft', { ...current, name: `${current.name}（2027 年修订）` })).status).toBe(200)
    // a draft is not what visitors see: the kept page stays good
    const beforePublishing = await visit('/services/SZRS-0003')
    expect(beforePublishing.html).not.toContain('（2027 年修订）')
    expect((await clerk.post('/api/manage/services/SZRS-0003/publish')).status).toBe(200)
    const after = await visit('/services/SZRS-0003')
    expect(after.cache).toBe('miss')
    expect(after.html).toContain('（2027 年修订）')
  })

  it('covers the home page and the catalogue, not the application form under a guide', async () => {
    for (const path of ['/', '/en', '/services?q=%E7%A4%BE%E4%BF%9D']) {
      await visit(path)
      const again = await visit(path)
      expect(again.status).toBe(200)
      expect(again.cache).toBe('hit')
    }
    expect((await visit('/services/SZRS-0011/apply')).cache).toBeNull()
    expect((await new Client(server.url).get('/api/services/SZRS-0011')).headers.get('x-page-cache')).toBeNull()
  })
})
