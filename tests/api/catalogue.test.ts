/**
 * The public catalogue API as the contract defines it, against the built server.
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { Client, signedIn } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer()
const api = () => new Client(server.url)

describe('a visitor browsing the catalogue', () => {
  it('sees that the portal is healthy', async () => {
    const res = await api().get('/api/health')
    expect(res.status).toBe(200)
    expect(res.body.ok).toBe(true)
    expect(res.headers.get('cache-control')).toContain('no-store')
  })

  it('lists the departments with how many items each owns', async () => {
    const res = await api().get('/api/departments')
    expect(res.status).toBe(200)
    expect(res.body.length).toBeGreaterThanOrEqual(20)
    const owning = res.body.filter((d: { serviceCount: number }) => d.serviceCount > 0)
    expect(owning.length).toBeGreaterThanOrEqual(20)
    for (const d of res.body) expect(Object.keys(d).sort()).toEqual(['code', 'name', 'nameEn', 'serviceCount'])
  })

  it('pages through every item with the contract\'s summary shape', async () => {
    const first = await api().get('/api/services?page=1&pageSize=100')
    expect(first.status).toBe(200)
    expect(first.body.total).toBeGreaterThanOrEqual(150)
    expect(first.body.items).toHaveLength(100)
    const s = first.body.items[0]
    expect(Object.keys(s).sort()).toEqual(['audience', 'code', 'department', 'name', 'nameEn', 'onlineAvailable', 'onlineDepth', 'processType'])
    const second = await api().get('/api/services?page=2&pageSize=100')
    const codes = new Set([...first.body.items, ...second.body.items].map((i: { code: string }) => i.code))
    expect(codes.size).toBe(first.body.items.length + second.body.items.length)
  })

  it.each(['社', '社保', '护照', '落户', '营业执照', '公积金'])('finds items for the search "%s", names containing it first', async (q) => {
    const res = await api().get(`/api/services?q=${encodeURIComponent(q)}&pageSize=100`)
    expect(res.status).toBe(200)
    expect(res.body.total).toBeGreaterThan(0)
    const names: string[] = res.body.items.map((i: { name: string }) => i.name)
    const firstNonName = names.findIndex(n => !n.includes(q))
    if (firstNonName >= 0) expect(names.slice(firstNonName).every(n => !n.includes(q))).toBe(true)
  })

  it('finds an item by a word of its materials, not only its name', async () => {
    const res = await api().get(`/api/services?q=${encodeURIComponent('居民身份证')}&pageSize=100`)
    expect(res.body.items.some((i: { name: string }) => !i.name.includes('居民身份证'))).toBe(true)
  })

  it('filters by department, audience and depth together', async () => {
    const res = await api().get('/api/services?dept=SZRS&audience=person&depth=3&pageSize=100')
    expect(res.status).toBe(200)
    for (const i of res.body.items) {
      expect(i.department.code).toBe('SZRS')
      expect(['person', 'both']).toContain(i.audience)
      expect(i.onlineDepth).toBe(3)
    }
  })

  it('reads an empty parameter as one not given, as the contract writes it (q=&dept=&audience=&depth=&page=&pageSize=)', async () => {
    const empty = await api().get('/api/services?q=&dept=&audience=&depth=&page=&pageSize=')
    expect(empty.status).toBe(200)
    expect(empty.body).toEqual((await api().get('/api/services')).body)
  })

  it('filters audience=both to the items for people and organisations alike', async () => {
    const res = await api().get('/api/services?audience=both&pageSize=100')
    expect(res.status).toBe(200)
    expect(res.body.total).toBeGreaterThan(0)
    for (const i of res.body.items) expect(i.audience).toBe('both')
  })

  it('reads a whole guide with every element', async () => {
    const list = await api().get('/api/services?pageSize=1')
    const code = list.body.items[0].code
    const res = await api().get(`/api/services/${code}`)
    expect(res.status).toBe(200)
    for (const key of ['type', 'legalLimitDays', 'promisedLimitDays', 'suitableOnline', 'visits', 'conditions', 'materials', 'fees', 'steps', 'location', 'hours', 'consultPhone', 'complaintPhone', 'legalBasis', 'resultName', 'form']) {
      expect(res.body).toHaveProperty(key)
    }
    expect(res.body.consultPhone).not.toBe(res.body.complaintPhone)
  })

  it('reads the optional elements of the national guide where an item states them, and no such key where it does not', async () => {
    const res = await api().get('/api/services/SZRS-0004')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      quantityLimit: expect.stringContaining('社会保障卡'), handlingChannels: ['online', 'counter'], resultDelivery: ['post', 'counter'],
      consultAddress: expect.any(String), complaintAddress: expect.any(String),
    })
    expect(res.body.reviewCriteria.length).toBeGreaterThan(0)
    expect(res.body.faq[0]).toEqual({ question: expect.any(String), answer: expect.any(String) })
    expect(res.body.materials[0].materialType).toBe('original')
    const special = (await api().get('/api/services/SZRS-0010')).body.specialProcedures
    expect(special).toEqual([{ name: expect.any(String), limitDays: 5, basis: expect.any(String) }])
    // a cooling-off period its law counts in days: natural days, on the guide page as on the API
    const coolingOff = (await api().get('/api/services/SZMZ-0002')).body.specialProcedures
    expect(coolingOff).toEqual([{ name: '离婚冷静期', limitDays: 30, limitUnit: 'natural', basis: expect.stringContaining('第一千零七十七条') }])
    const page = await (await fetch(`${server.url}/services/SZMZ-0002`)).text()
    expect(page).toMatch(/离婚冷静期<\/td>\s*<td[^>]*>\s*30 个自然日/)
    const english = await (await fetch(`${server.url}/en/services/SZMZ-0002`)).text()
    expect(english).toMatch(/离婚冷静期<\/td>\s*<td[^>]*>\s*30 calendar days/)
    const plain = (await api().get('/api/services/SZRS-0005')).body
    for (const key of ['quantityLimit', 'handlingChannels', 'resultDelivery', 'reviewCriteria', 'intermediaryServices', 'specialProcedures', 'faq', 'consultAddress', 'complaintAddress']) {
      expect(plain).not.toHaveProperty(key)
    }
  })

  it('says an unknown code does not exist', async () => {
    expect((await api().get('/api/services/NO-SUCH-ITEM')).status).toBe(404)
    expect((await api().get('/api/services/bad%20code!')).status).toBe(404)
  })

  it.each([
    'page=0', 'page=abc', 'pageSize=0', 'pageSize=101', 'pageSize=1.5', 'depth=5', 'audience=alien',
    'dept=../etc', `q=${'长'.repeat(51)}`, 'page=1&page=2',
  ])('answers the malformed query %s with a clear 400', async (qs) => {
    const res = await api().get(`/api/services?${qs}`)
    expect(res.status).toBe(400)
    expect(typeof res.body.message).toBe('string')
  })

  it.each(['a%00b', '%00%00%00', '%00', '%E7%A4%BE%07'])('refuses control characters in the search words (%s) with a 400 naming q, in public and in management', async (q) => {
    const res = await api().get(`/api/services?q=${q}`)
    expect(res.status).toBe(400)
    expect(res.body.data.fieldErrors).toEqual({ q: 'validation.controlChars' })
    const admin = await signedIn(server.url, 'admin')
    expect((await admin.get(`/api/manage/services?q=${q}`)).body.data.fieldErrors).toEqual({ q: 'validation.controlChars' })
  })
})

/**
 * POSTs JSON in 64 KB chunks without a Content-Length (Transfer-Encoding: chunked), up to `bytes`,
 * stopping as soon as the server answers; resolves with the status and body of the answer.
 */
function postChunked(url: string, path: string, bytes: number): Promise<{ status: number, body: string }> {
  const { host, origin } = new URL(url)
  return new Promise((resolve, reject) => {
    let answered = false
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, host } }, (res) => {
      answered = true
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', (e) => { if (!answered) reject(e) })
    const head = Buffer.from('{"username":"nobody')
    const chunk = Buffer.alloc(64 * 1024, 'x')
    req.write(head)
    let sent = head.length
    const more = () => {
      while (!answered && sent + chunk.length < bytes) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', more)
      }
      if (!answered) req.end('","password":"wrong-password-1"}')
    }
    more()
  })
}

describe('request hygiene', () => {
  it('refuses a body larger than the route allows before reading it', async () => {
    const res = await api().post('/api/auth/login', { username: 'x'.repeat(2_000_000), password: 'p' })
    expect(res.status).toBe(413)
  })

  it('counts a body sent in chunks without a length, and refuses it past the limit', async () => {
    // 50 MB offered: the server answers 413 after the first megabyte and reads no more. The client,
    // still sending, reads the 413 every time: closed at once, the connection was reset under it
    // before the answer arrived in about half the tries (EPIPE), so one try proved little
    for (let i = 0; i < 20; i++) {
      const big = await postChunked(server.url, '/api/auth/login', 50_000_000)
      expect(big.status).toBe(413)
      expect(JSON.parse(big.body).message).toMatch(/larger than 1000000 bytes/)
    }
    // a small chunked body is read as usual: a sign-in with an unknown name is refused, not broken
    const small = await postChunked(server.url, '/api/auth/login', 0)
    expect(small.status).toBe(401)
  })
})

describe('pages', () => {
  it('renders the home page and a guide on the server, in Chinese and in English', async () => {
    const home = await fetch(`${server.url}/`)
    expect(home.status).toBe(200)
    const html = await home.text()
    expect(html).toContain('lang="zh-CN"')
    expect(html).toContain('深圳市网上办事大厅')
    const en = await (await fetch(`${server.url}/en/services`)).text()
    expect(en).toContain('lang="en"')
    expect(en).toContain('Service guides')
  })

  it('shows the optional elements on a guide that states them, in both languages, and nothing of them on one that does not', async () => {
    // rendered markup only: the page's data payload carries the guide's texts whether shown or not
    const term = (label: string) => new RegExp(`<dt[^>]*>\\s*${label}\\s*</dt>`)
    const zh = await (await fetch(`${server.url}/services/SZRS-0004`)).text()
    for (const label of ['数量限制', '办理形式', '结果送达方式', '咨询地址', '监督投诉地址']) expect(zh).toMatch(term(label))
    for (const id of ['criteria', 'faq']) expect(zh).toContain(`<h2 id="${id}"`)
    expect(zh).toMatch(/<th[^>]*>\s*材料要求\s*<\/th>/)
    expect(zh).toMatch(/<dt[^>]*>\s*社会保障卡多久可以拿到？\s*<\/dt>/)
    const en = await (await fetch(`${server.url}/en/services/SZRS-0010`)).text()
    expect(en).toMatch(/<h2 id="special"[^>]*>\s*Special procedures/)
    expect(en).toMatch(/<td lang="zh-CN"[^>]*>\s*拟补贴人员名单公示/)
    const plain = await (await fetch(`${server.url}/services/SZRS-0005`)).text()
    for (const label of ['数量限制', '办理形式', '结果送达方式', '咨询地址']) expect(plain).not.toMatch(term(label))
    for (const id of ['criteria', 'faq', 'special', 'intermediary']) expect(plain).not.toContain(`<h2 id="${id}"`)
    expect(plain).not.toMatch(/<th[^>]*>\s*材料要求/)
  })

  it('sends the security headers with every page', async () => {
    const res = await fetch(`${server.url}/`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src[^;]*'nonce-/)
    expect(csp).toContain('frame-ancestors \'none\'')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBeTruthy()
  })
})
