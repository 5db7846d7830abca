/**
 * The one place that opens the database. Every connection gets the same pragmas: WAL so readers
 * never wait for the writer, synchronous=FULL so an acknowledged commit survives a power cut,
 * foreign keys on, and a busy timeout so a second process (backup, CLI) waits instead of failing.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import * as schema from './schema'

export type Db = ReturnType<typeof drizzle<typeof schema>>

export interface Connection {
  sqlite: Database.Database
  db: Db
  path: string
}

/** `file:<path>` (or a bare path) from DATABASE_URL; anything else is refused clearly. */
export function databasePath(url = process.env.DATABASE_URL || 'file:.data/portal.db'): string {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    throw new Error('DATABASE_URL: the PostgreSQL engine is reserved for the scale-out deployment and not available in this build; use file:<path>')
  }
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url
  if (!path) throw new Error('DATABASE_URL: file: needs a path')
  return path === ':memory:' ? path : resolve(path)
}

/**
 * `mustExist`: for the tools that only read an existing database (backup): a mistyped
 * DATABASE_URL is refused instead of becoming a new, empty database and its folders.
 * `image`: a database serialized with `sqlite.serialize()`, opened as an in-memory copy.
 */
export function openDatabase(url?: string, opts: { mustExist?: boolean, image?: Buffer } = {}): Connection {
  const path = opts.image ? ':memory:' : databasePath(url)
  const mustExist = !!opts.mustExist && path !== ':memory:'
  if (mustExist && !existsSync(path)) throw new Error(`no database at ${path}: check DATABASE_URL`)
  if (path !== ':memory:' && !mustExist) mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const isNew = path !== ':memory:' && !existsSync(path)
  // image: an in-memory copy of a serialized database (the tests' seeded template)
  const sqlite = opts.image ? new Database(opts.image) : new Database(path, { fileMustExist: mustExist })
  // It holds every ID number, mobile and password hash: readable by the portal's user alone, not
  // 0644 as created. SQLite gives its -wal and -shm files the database file's permissions.
  if (isNew) chmodSync(path, 0o600)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 10000')
  // better-sqlite3's page cache is 16 MB; with 10,000 items and a million cases (npm run bench)
  // the catalogue alone is 14 MB and the cases' indexes hundreds, so queries reread pages through
  // read(). 64 MB of cache, and pages read through a memory map instead of copied.
  sqlite.pragma('cache_size = -65536')
  sqlite.pragma('mmap_size = 1073741824')
  // Each write of a group commit runs in a SAVEPOINT, and SQLite keeps the original of every page
  // a savepoint changes in a sub-journal, a temporary file by default: in memory, the submission's
  // own statements took 0.20 ms instead of 0.30 (in-process, 9,600 submits in batches of 8).
  sqlite.pragma('temp_store = MEMORY')
  reusePreparedStatements(sqlite)
  return { sqlite, db: drizzle(sqlite, { schema }), path }
}

/** Distinct SQL texts kept compiled; dynamic ones (IN lists of every length) make the set open-ended. */
const STATEMENT_CACHE_SIZE = 500

/**
 * The services prepare each statement where they run it, and better-sqlite3 compiles the SQL on
 * every prepare(): in the profile of the submit benchmark, compiling was 6% of the server's CPU.
 * The connection keeps the compiled statement of each recent SQL text (least recently used out)
 * and hands it back with its modes reset, since raw(), pluck() and expand() stick to a statement.
 * Safe because the connection is used from one thread and every use of a statement finishes
 * before the next begins (iterate() included: its loops are synchronous).
 */
function reusePreparedStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite)
  const cache = new Map<string, Database.Statement>()
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source)
    if (statement) {
      cache.delete(source)
      if (statement.reader) statement.raw(false).pluck(false).expand(false)
    }
    else {
      statement = compile(source)
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
    }
    cache.set(source, statement)
    return statement
  }) as Database.Database['prepare']
}

/**
 * Applies the pending migrations of `folder` (db/migrations in a checkout, bundled in a build);
 * refuses, changing nothing, a database a newer build has migrated (unknownMigrations).
 */
export function applyMigrations(conn: Connection, folder: string): void {
  refuseUnknownMigrations(conn, folder)
  migrate(conn.db, { migrationsFolder: folder })
}

/** A row of __drizzle_migrations: `createdAt` is its migration's journal `when`, not when it ran. */
export interface AppliedMigration { createdAt: number, hash: string }

/**
 * The migrations the database has had that `folder` does not hold: it was migrated by a newer build
 * and is now run by an older one (a rollback). Drizzle applies only migrations newer than the last
 * applied, so it would find nothing to do and this code would run on a schema it does not know.
 * A row is this build's when its time is a journal entry's or its hash a migration's: either, not
 * both, since 0015 was edited after it shipped and databases migrated before keep its first hash.
 */
export function unknownMigrations(conn: Connection, folder: string): AppliedMigration[] {
  const table = conn.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get()
  if (!table) return []
  const applied = conn.sqlite.prepare('SELECT created_at AS createdAt, hash FROM __drizzle_migrations ORDER BY created_at, id').all() as AppliedMigration[]
  const known = readMigrationFiles({ migrationsFolder: folder })
  const times = new Set(known.map(m => m.folderMillis))
  const hashes = new Set(known.map(m => m.hash))
  return applied.filter(m => !times.has(Number(m.createdAt)) && !hashes.has(m.hash))
}

/** Throws, naming them, when the database has migrations `folder` does not hold. */
export function refuseUnknownMigrations(conn: Connection, folder: string): void {
  const unknown = unknownMigrations(conn, folder)
  if (!unknown.length) return
  const named = unknown.map(m => `${describeTime(m.createdAt)} (hash ${m.hash.slice(0, 12)})`).join(', ')
  throw new Error(`${conn.path} has ${unknown.length} migration(s) this build does not have: ${named}. `
    + 'A newer build of the portal migrated it; run that build (or a newer one) on it, or restore a backup taken before it was migrated. Nothing was changed')
}

/** A migration's time as the journal has it (milliseconds) and as a date, which a person can place. */
function describeTime(createdAt: number): string {
  const at = new Date(Number(createdAt))
  return Number.isNaN(at.getTime()) ? `created_at ${createdAt}` : `created_at ${createdAt} = ${at.toISOString()}`
}

/**
 * How many of the checkout's migrations the database has not had (drizzle's own rule: newer than
 * the last applied), or 'none applied' for a file that is not the portal's database: for console
 * commands, which read a database and leave migrating to the portal.
 */
export function pendingMigrations(conn: Connection, folder = 'db/migrations'): number | 'none applied' {
  const table = conn.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get()
  if (!table) return 'none applied'
  const last = conn.sqlite.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as { at: number | null }
  if (last.at === null) return 'none applied'
  return readMigrationFiles({ migrationsFolder: folder }).filter(m => m.folderMillis > Number(last.at)).length
}

/**
 * Runs `fn` in a transaction that takes the write lock up front (BEGIN IMMEDIATE), so two writers
 * never both read and then fail to upgrade. better-sqlite3 is synchronous: keep `fn` short.
 */
export function writeTransaction<T>(conn: Connection, fn: () => T): T {
  return conn.sqlite.transaction(fn).immediate()
}

export { schema }
