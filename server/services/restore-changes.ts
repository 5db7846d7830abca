/**
 * What a restore undid: the changes recorded in the database a restore replaced after the backup it
 * restored was taken, read from that database's audit log (scripts/restore.ts lists them): the
 * accounts closed, whose erased data came back; the security-relevant console changes, each with the
 * command that makes it again; and the loads of the legal-entity base data.
 */
import Database from 'better-sqlite3'
import { backupTime, readManifest } from './backup-manifest'

/** An audit row a database recorded after a backup was taken, with the username its `user:<id>` subject has there. */
interface RowSince { id: number, at: string, action: string, subject: string | null, username: string | null, detail: string | null }

/**
 * The audit rows of `actions` that `database`, the one a restore replaced, recorded after the
 * backup at `path` was taken: after the manifest's newest audit row; a backup from before that
 * field was recorded counts from its start. The username is read from `database` too: the console
 * commands that re-apply a staff change take one, and the restored database may not have the account.
 */
function auditRowsSince(path: string, database: string, actions: readonly string[]): RowSince[] {
  const read = readManifest(path)
  if ('problem' in read) throw new Error(read.problem)
  const { auditHead, name, takenAt } = read.manifest
  const db = new Database(database, { readonly: true, fileMustExist: true })
  try {
    const select = `SELECT a.id, a.at, a.action, a.subject, u.username, a.detail FROM audit_log a
      LEFT JOIN users u ON a.subject = 'user:' || u.id
      WHERE a.action IN (${actions.map(() => '?').join(', ')}) AND`
    return (auditHead !== undefined
      ? db.prepare(`${select} a.id > ? ORDER BY a.id`).all(...actions, auditHead?.id ?? 0)
      : db.prepare(`${select} a.at >= ? ORDER BY a.id`).all(...actions, new Date(backupTime(name) ?? Date.parse(takenAt)).toISOString())) as RowSince[]
  }
  finally { db.close() }
}

/**
 * The accounts closed (audit `account.close`) in `database`, the one a restore replaced, after the
 * backup at `path` was taken. Closing erased their data, the restore brought it back: each must be
 * closed again (docs/privacy.md), but only one the `restored` database holds, as the same account
 * (`inRestored`). One registered after the backup is not there: nothing of it came back, and its
 * id will be the next registration's, whom `user:close -- user:<id>` would erase instead.
 */
export function closuresSince(path: string, database: string, restored: string): { id: number, at: string, subject: string | null, inRestored: boolean }[] {
  const rows = auditRowsSince(path, database, ['account.close'])
  const db = new Database(restored, { readonly: true, fileMustExist: true })
  try {
    const held = db.prepare('SELECT username FROM users WHERE id = ?').pluck()
    return rows.map(({ id, at, subject, username }) => {
      const userId = /^user:(\d+)$/.exec(subject ?? '')?.[1]
      const there = userId === undefined ? undefined : held.get(Number(userId)) as string | undefined
      // closing renames only a username holding a personal number (to closed-<id>)
      const same = there !== undefined && (there === username || username === `closed-${userId}`)
      return { id, at, subject, inRestored: same }
    })
  }
  finally { db.close() }
}

/** A console change a restore undid: what it was, on which account, and the command that makes it again. */
export interface ConsoleChange {
  id: number
  at: string
  action: string
  /** the username, or `user:<id>` when the replaced database does not name the account */
  account: string
  what: string
  /** the reason given at the console (checked then to hold no ID or mobile number) */
  reason: string | null
  redo: string
}

type Detail = { reason?: unknown, idNumberOnRecord?: unknown, to?: { role?: unknown, department?: unknown, head?: unknown } }

/**
 * What each security-relevant console change was, and the command that makes it again, by audit
 * action. A restore undoes them all without a word: a disabled clerk can sign in again, a reset
 * password is the old one again (the sessions it ended are back too), a role taken away is back.
 * `account.enable` is listed too, so that replaying the list in order ends where the replaced
 * database was (a disable and the enable after it).
 */
const CONSOLE_CHANGES: Record<string, (account: string, subject: string, d: Detail) => { what: string, redo: string }> = {
  'account.disable': a => ({ what: 'disabled', redo: `npm run user:disable -- ${a} --reason "<why>"` }),
  'account.enable': a => ({ what: 'enabled again', redo: `npm run user:enable -- ${a} --reason "<why>"` }),
  'account.password.reset': a => ({ what: 'password reset from the console', redo: `npm run user:password -- ${a} --reason "<why>"` }),
  'account.role.change': (a, _, d) => {
    const role = typeof d.to?.role === 'string' ? d.to.role : '<role>'
    const department = typeof d.to?.department === 'string' ? d.to.department : null
    const head = d.to?.head === true
    const dept = department ? ` --department ${department}${head ? ' --head' : ''}` : ''
    return { what: `role changed to ${head ? 'head and ' : ''}${role}${department ? ` in ${department}` : ''}`, redo: `npm run user:role -- ${a} --role ${role}${dept} --reason "<why>"` }
  },
  'account.idNumber.change': (a, _, d) => d.idNumberOnRecord === false
    ? { what: 'own ID number removed', redo: `npm run user:id-number -- ${a} --clear --reason "<why>"` }
    : { what: 'own ID number set', redo: `npm run user:id-number -- ${a} --reason "<why>" (typing their own ID number when asked)` },
  // the audit row never names the number: the restored database holds it again, on this account
  'account.idNumber.release': (_, subject) => ({ what: 'ID number released', redo: `npm run user:release-id -- --reason "<why>" (typing the ID number ${subject} holds again when asked)` }),
}

/**
 * The security-relevant console changes (CONSOLE_CHANGES) recorded in `database`, the one a restore
 * replaced, after the backup at `path` was taken, oldest first: each must be made again.
 */
export function consoleChangesSince(path: string, database: string): ConsoleChange[] {
  return auditRowsSince(path, database, Object.keys(CONSOLE_CHANGES)).map((row) => {
    const subject = row.subject ?? '(no account)'
    const account = row.username ?? subject
    const detail = parseDetail(row.detail)
    return {
      id: row.id, at: row.at, action: row.action, account,
      reason: typeof detail.reason === 'string' ? detail.reason : null,
      ...CONSOLE_CHANGES[row.action]!(account, subject, detail),
    }
  })
}

/** An audit row's detail (JSON written by writeAudit); a row it cannot read gives the generic command. */
function parseDetail(detail: string | null): Detail {
  try {
    const parsed: unknown = detail ? JSON.parse(detail) : {}
    return parsed !== null && typeof parsed === 'object' ? parsed as Detail : {}
  }
  catch {
    return {}
  }
}

/** A load of the legal-entity base data as a restore lists it: its parts' counts added up. */
export interface BaseDataLoad { id: number, at: string, added: number | null, changed: number | null, partsWritten: number, parts: number }

/**
 * The loads of the legal-entity base data (`npm run base:entities`, audit `base.legalEntities.import`,
 * a row per part written) recorded in `database`, the one a restore replaced, after the backup at
 * `path` was taken: the restore undid them, and the organisations people act for are checked against
 * older data until each file is loaded again. Oldest first, one per load (its parts by the `load` of
 * their rows; a row without one, written before loads had parts, is a load of its own), with the
 * counts the parts recorded and how many of its parts were written: fewer than all is a load that
 * stopped part-way, or began before the backup.
 */
export function baseDataLoadsSince(path: string, database: string): BaseDataLoad[] {
  const loads = new Map<string, BaseDataLoad>()
  for (const { id, at, detail } of auditRowsSince(path, database, ['base.legalEntities.import'])) {
    const d = parseDetail(detail) as { added?: unknown, changed?: unknown, load?: unknown, part?: unknown, parts?: unknown }
    const count = (n: unknown) => typeof n === 'number' ? n : null
    const key = typeof d.load === 'string' ? d.load : `row ${id}`
    const load = loads.get(key)
    if (!load) {
      loads.set(key, { id, at, added: count(d.added), changed: count(d.changed), partsWritten: 1, parts: count(d.parts) ?? 1 })
      continue
    }
    const sum = (a: number | null, b: number | null) => a === null || b === null ? null : a + b
    Object.assign(load, { at, added: sum(load.added, count(d.added)), changed: sum(load.changed, count(d.changed)), partsWritten: load.partsWritten + 1 })
  }
  return [...loads.values()]
}
