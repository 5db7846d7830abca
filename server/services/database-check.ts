/**
 * Reading a whole database file, off the server's JavaScript thread. `PRAGMA integrity_check` of
 * the benchmark's full-size database (1 GB, a million cases) takes 10-18 s and the row counts of its
 * largest tables a tenth of a second; run by the scheduled backup on the portal's own thread, no
 * request would be answered meanwhile. A worker thread opens the file read-only with its own
 * connection and does the reading there.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export interface DatabaseCheck {
  /** 'ok', or SQLite's list of what is wrong; null when not asked for */
  integrity: string | null
  counts: Record<string, number>
  /** the uploads the database records, when asked for */
  uploads: { storedName: string, sha256: string }[] | null
}

// better-sqlite3 as the server itself resolves it (in the build, its own node_modules). Asked at
// call time: the built server's import.meta.url is only set once its entry module runs.
const sqlitePath = () => createRequire(import.meta.url).resolve('better-sqlite3')

// Plain CommonJS for an `eval` worker: the build bundles no separate file for it.
const WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads')
const Database = require(w.sqlite)
const db = new Database(w.file, { readonly: true, fileMustExist: true })
try {
  parentPort.postMessage({
    integrity: w.integrity ? String(db.pragma('integrity_check', { simple: true })) : null,
    counts: Object.fromEntries(w.tables.map(t => [t, db.prepare('SELECT count(*) AS n FROM "' + t + '"').get().n])),
    uploads: w.uploads ? db.prepare('SELECT stored_name AS storedName, sha256 FROM uploads').all() : null,
  })
}
finally { db.close() }
`

/** Counts the rows of `tables` in `file` and, when asked, checks its integrity and lists its uploads, in a worker thread. */
export function checkDatabase(file: string, o: { tables: readonly string[], integrity?: boolean, uploads?: boolean }): Promise<DatabaseCheck> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { sqlite: sqlitePath(), file, tables: [...o.tables], integrity: !!o.integrity, uploads: !!o.uploads },
    })
    let answer: DatabaseCheck | undefined
    worker.once('message', (m: DatabaseCheck) => { answer = m })
    worker.once('error', reject)
    worker.once('exit', code => answer ? resolve(answer) : reject(new Error(`the database check of ${file} ended with code ${code} and no answer`)))
  })
}
