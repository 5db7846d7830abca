/**
 * Starts the built server (.output, or NITRO_OUTPUT_DIR) on a free port with a fresh database and
 * upload folder, for one test file. Demo accounts are on, so tests sign in as a person would.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll } from 'vitest'
import { freePort } from '../../scripts/free-port'
import { shanghaiDateOf } from '../../shared/utils/working-days'

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

/**
 * Starts a server; `dataDir` may be reused to restart on the same database (crash tests). Without
 * one, the server starts on a copy of the database a server of this build seeded today with the
 * same demo settings (seededCopy).
 */
export async function startServer(opts: { env?: Record<string, string>, dataDir?: string } = {}): Promise<TestServer> {
  const copy = opts.dataDir ? undefined : await seededCopy(opts.env ?? {})
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(await freePort(), { ...opts, dataDir: opts.dataDir ?? copy })
    }
    catch (error) {
      // another process took the port between the look and the bind (scripts/free-port.ts): once more, on another
      if (!(error instanceof PortTaken) || attempt === 3) {
        if (copy) rmSync(copy, { recursive: true, force: true })
        throw error
      }
    }
  }
}

class PortTaken extends Error {}

/** What decides what a server's first start writes to an empty database: its seeding, not its limits or intervals. */
const SEEDING = ['PORTAL_DEMO', 'PORTAL_DEMO_HISTORY'] as const

/**
 * A fresh data folder holding a copy of the database (and its audit key) that a server of this
 * build seeded today with `env`'s seeding. A server's first start on an empty database migrates it
 * and seeds the catalogue, the demo accounts and, with PORTAL_DEMO_HISTORY=1, a year of cases:
 * 0.4 s of CPU, 4 s with the history, for each of the suites' ninety-odd files. The first file to
 * need a seeding has a server make it, its WAL checkpointed into the one file, and keeps it in the
 * temp folder named by the build, the day and the seeding; any later start copies it. A file whose
 * tests are about the first start itself gives its own `dataDir`.
 */
async function seededCopy(env: Record<string, string>): Promise<string> {
  const build = statSync(serverEntry())
  const key = createHash('sha256').update(JSON.stringify([serverEntry(), build.mtimeMs, build.size, shanghaiDateOf(new Date()), SEEDING.map(k => env[k] ?? null)])).digest('hex').slice(0, 16)
  const template = join(tmpdir(), `portal-test-seed-${key}`)
  if (!existsSync(join(template, 'portal.db'))) {
    const scratch = mkdtempSync(join(tmpdir(), 'portal-test-seeding-'))
    const seeding = Object.fromEntries(SEEDING.filter(k => env[k] !== undefined).map(k => [k, env[k]!]))
    const seeder = await startServer({ dataDir: scratch, env: { ...seeding, OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0' } })
    await stopServer(seeder, { keepData: true })
    const db = new Database(join(scratch, 'portal.db'))
    try { db.pragma('wal_checkpoint(TRUNCATE)') }
    finally { db.close() }
    rmSync(join(scratch, 'uploads'), { recursive: true, force: true })
    rmSync(join(scratch, 'backups'), { recursive: true, force: true })
    // another worker may have made the same one meanwhile: either is the same seeding
    try { renameSync(scratch, template) }
    catch { rmSync(scratch, { recursive: true, force: true }) }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-test-'))
  for (const file of ['portal.db', 'audit.key']) copyFileSync(join(template, file), join(dataDir, file))
  return dataDir
}

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
