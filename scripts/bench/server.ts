/**
 * The built server on a dataset, for the benchmark: started on a free loopback port, signed in to
 * like a browser (session cookie, Origin on writes), stopped by its own process id.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { freePort } from '../free-port'

export interface Running { url: string, child: ChildProcess, log: () => string }

/** Starts `<outputDir>/server/index.mjs` on `dbPath`; resolves once /api/health answers. */
export async function startServer(outputDir: string, dbPath: string, dataDir: string): Promise<Running> {
  const port = await freePort()
  mkdirSync(join(dataDir, 'uploads'), { recursive: true })
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production',
    HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: `file:${dbPath}`,
    UPLOAD_DIR: join(dataDir, 'uploads'), BACKUP_DIR: join(dataDir, 'backups'), BACKUP_INTERVAL_HOURS: '0',
    // the key the drafts made before the start were audited with (scripts/bench/run.ts)
    AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY ?? '',
  }
  const child = spawn(process.execPath, [resolve(outputDir, 'server/index.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (d: Buffer) => { output = (output + d.toString()).slice(-20_000) }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  const started = Date.now()
  while (Date.now() - started < 180_000) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`)
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, child, log: () => output }
    }
    catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 250))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not answer within 180 s:\n${output}`)
}

/** CPU time a process has used so far, in milliseconds: all its threads, and its main (JavaScript) thread alone. */
export interface CpuTime { total: number, main: number }

/**
 * The server's CPU time from Linux's per-thread scheduler statistics (nanoseconds), or null where
 * /proc has none. Throughput on this shared, drifting machine moves by a third within minutes;
 * the CPU a request costs the server moves much less, and says whether a scenario is bound by
 * the server's one JavaScript thread or waits on something else (the disk, the client).
 */
export function serverCpu(s: Running): CpuTime | null {
  const dir = `/proc/${s.child.pid}/task`
  const ns = (task: string) => {
    try {
      return Number(readFileSync(`${dir}/${task}/schedstat`, 'utf8').split(' ')[0])
    }
    catch {
      return 0 // a thread that ended between the listing and the read
    }
  }
  let tasks: string[]
  try {
    tasks = readdirSync(dir)
  }
  catch {
    return null
  }
  const main = ns(String(s.child.pid))
  if (!main) return null
  return { total: tasks.reduce((sum, t) => sum + ns(t), 0) / 1e6, main: main / 1e6 }
}

export async function stopServer(s: Running): Promise<void> {
  if (s.child.exitCode !== null) return
  const exited = new Promise(r => s.child.once('exit', r))
  s.child.kill('SIGTERM')
  await Promise.race([exited, new Promise(r => setTimeout(r, 5000))])
  if (s.child.exitCode === null) s.child.kill('SIGKILL')
}

/** A signed-in browser: its cookie, and JSON requests that send Origin like a page of the portal. */
export class Session {
  cookie = ''
  constructor(readonly base: string) {}

  get headers(): Record<string, string> { return { cookie: this.cookie, origin: this.base } }

  async json<T>(method: string, path: string, body?: unknown): Promise<{ status: number, body: T }> {
    const headers: Record<string, string> = { ...this.headers }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const set = res.headers.getSetCookie().find(c => c.startsWith('portal_session='))
    if (set) this.cookie = set.split(';')[0]!
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
  }

  static async signIn(base: string, username: string, password: string): Promise<Session> {
    const s = new Session(base)
    const res = await s.json('POST', '/api/auth/login', { username, password })
    if (res.status !== 200) throw new Error(`sign-in as ${username} answered ${res.status}`)
    return s
  }
}
