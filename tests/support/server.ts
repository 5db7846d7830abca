/**
 * Starts the built server (.output, or NITRO_OUTPUT_DIR) on a free port with a fresh database and
 * upload folder, for one test file. Demo accounts are on, so tests sign in as a person would.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { freePort } from '../../scripts/free-port'

export interface TestServer {
  url: string
  dataDir: string
  process: ChildProcess
  env: Record<string, string>
  /** everything the server wrote to stdout and stderr so far */
  readonly output: string
}

export function serverEntry(): string {
  return resolve(process.env.NITRO_OUTPUT_DIR || '.output', 'server/index.mjs')
}

/** Starts a server; `dataDir` may be reused to restart on the same database (crash tests). */
export async function startServer(opts: { env?: Record<string, string>, dataDir?: string } = {}): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(await freePort(), opts)
    }
    catch (error) {
      // another process took the port between the look and the bind (scripts/free-port.ts): once more, on another
      if (!(error instanceof PortTaken) || attempt === 3) throw error
    }
  }
}

class PortTaken extends Error {}

async function startOnPort(port: number, opts: { env?: Record<string, string>, dataDir?: string }): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'portal-test-'))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dataDir, 'portal.db')}`,
    UPLOAD_DIR: join(dataDir, 'uploads'),
    BACKUP_DIR: join(dataDir, 'backups'),
    PORTAL_DEMO: '1',
    // The year of demo cases only where a test reads it (reports, open data, the browser pages).
    PORTAL_DEMO_HISTORY: '0',
    LOGIN_LIMIT_PER_MINUTE: '1000',
    REGISTER_LIMIT_PER_MINUTE: '1000',
    TRACK_LIMIT_PER_MINUTE: '1000',
    VERIFY_LIMIT_PER_MINUTE: '1000',
    RESET_LIMIT_PER_MINUTE: '1000',
    MOBILE_CODE_LIMIT_PER_MINUTE: '1000',
    REAUTH_LIMIT_PER_MINUTE: '1000',
    NODE_ENV: 'production',
    ...opts.env,
  }
  const child = spawn(process.execPath, [serverEntry()], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { output += d.toString() })
  const url = `http://127.0.0.1:${port}`
  const started = Date.now()
  while (Date.now() - started < 120_000) {
    if (child.exitCode !== null) {
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
      if (output.includes('EADDRINUSE')) throw new PortTaken(`port ${port} taken`)
      throw new Error(`server exited with ${child.exitCode}:\n${output}`)
    }
    try {
      const res = await fetch(`${url}/api/health`)
      // and from this server: another one on the port would answer for it while this one exits
      if (res.ok && output.split('\n').some(line => line.trim() === `Listening on ${url}`)) return { url, dataDir, process: child, env, get output() { return output } }
    }
    catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 200))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not answer within 120 s:\n${output}`)
}

export async function stopServer(server: TestServer, { keepData = false } = {}): Promise<void> {
  if (server.process.exitCode === null) {
    const exited = new Promise(r => server.process.once('exit', r))
    server.process.kill('SIGTERM')
    await Promise.race([exited, new Promise(r => setTimeout(r, 5000))])
    if (server.process.exitCode === null) server.process.kill('SIGKILL')
  }
  if (!keepData) rmSync(server.dataDir, { recursive: true, force: true })
}

/** beforeAll/afterAll around one server for the whole test file. */
export function useTestServer(opts: { env?: Record<string, string> } = {}) {
  const holder = {} as { server: TestServer }
  beforeAll(async () => { holder.server = await startServer(opts) })
  afterAll(async () => { if (holder.server) await stopServer(holder.server) })
  return {
    get url() { return holder.server.url },
    get server() { return holder.server },
  }
}
