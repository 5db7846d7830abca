/**
 * A tiny HTTP client that behaves like a browser on the portal's own origin: it keeps the session
 * cookie and sends Origin on writes.
 */
export interface ApiResponse<T = unknown> { status: number, body: T, headers: Headers }

export class Client {
  cookie = ''
  constructor(readonly base: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const h: Record<string, string> = { origin: this.base, ...headers }
    if (this.cookie) h.cookie = this.cookie
    let payload: BodyInit | undefined
    if (body instanceof FormData) payload = body
    else if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body)
      h['content-type'] ??= 'application/json'
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' })
    const setCookie = res.headers.getSetCookie().find(c => c.startsWith('portal_session='))
    if (setCookie) this.cookie = setCookie.split(';')[0]!
    const text = await res.text()
    let parsed: unknown = text
    try { parsed = text ? JSON.parse(text) : null }
    catch { /* not JSON */ }
    return { status: res.status, body: parsed as T, headers: res.headers }
  }

  get<T = any>(path: string, headers?: Record<string, string>) { return this.request<T>('GET', path, undefined, headers) } // eslint-disable-line @typescript-eslint/no-explicit-any
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) { return this.request<T>('POST', path, body, headers) } // eslint-disable-line @typescript-eslint/no-explicit-any
  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>) { return this.request<T>('PUT', path, body, headers) } // eslint-disable-line @typescript-eslint/no-explicit-any

  async login(username: string, password = 'portal-demo-2026'): Promise<this> {
    const res = await this.post('/api/auth/login', { username, password })
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`)
    return this
  }
}

export async function signedIn(base: string, username: string): Promise<Client> {
  return new Client(base).login(username)
}
