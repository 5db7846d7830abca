/**
 * The large-text switch without JavaScript (an older phone before the page's script has loaded):
 * a link to the server, which sets the cookie the page reads and sends the person back to the page
 * they were on, never to another site.
 */
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer()

describe('the large-text switch as a plain link', () => {
  it('sets the cookie as the page reads it and goes back to the page', async () => {
    // the page's own link carries the path as the router has it, encoded; a hand-made one may not
    const on = await new Client(server.url).get('/api/preferences/large-text?on=1&back=%2Fservices%3Fq%3D%25E7%25A4%25BE%25E4%25BF%259D')
    expect(on.status).toBe(303)
    expect(on.headers.get('location')).toBe('/services?q=%E7%A4%BE%E4%BF%9D')
    const raw = await new Client(server.url).get('/api/preferences/large-text?on=1&back=%2Fservices%3Fq%3D%E7%A4%BE%E4%BF%9D%20x')
    expect(raw.headers.get('location')).toBe('/services?q=%E7%A4%BE%E4%BF%9D%20x')
    expect(on.headers.getSetCookie().find(c => c.startsWith('large_text='))).toMatch(/^large_text=1; Max-Age=31536000; Path=\/; SameSite=Lax$/i)
    const off = await new Client(server.url).get('/api/preferences/large-text?on=0&back=/en/track')
    expect(off.headers.get('location')).toBe('/en/track')
    expect(off.headers.getSetCookie().find(c => c.startsWith('large_text='))).toMatch(/^large_text=0;/)
  })

  it('sends a back address of another site, or none, to the home page, and refuses a bad value', async () => {
    for (const back of ['//evil.example/x', '/\\evil.example', 'https://evil.example', '']) {
      const res = await new Client(server.url).get(`/api/preferences/large-text?on=1&back=${encodeURIComponent(back)}`)
      expect(res.status, back).toBe(303)
      expect(res.headers.get('location'), back).toBe('/')
    }
    expect((await new Client(server.url).get('/api/preferences/large-text?on=2')).status).toBe(400)
    expect((await new Client(server.url).get('/api/preferences/large-text')).status).toBe(400)
  })

  it('is the header\'s link on every page, for the page it is on', async () => {
    const page = await new Client(server.url).get('/services?dept=SZGA')
    expect(String(page.body)).toContain('href="/api/preferences/large-text?on=1&amp;back=%2Fservices%3Fdept%3DSZGA"')
  })
})
