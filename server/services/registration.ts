/**
 * Registration of a person with real-name data, and the organisations they act for. Input is
 * already validated by the shared `registerSchema`; this module only touches the database.
 */
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { RegisterInput } from '../../shared/utils/validators'
import type { OrganizationCheck } from '../../shared/types/organization-check'
import { writeAudit } from './audit'
import { accountHolder, organizationCheck } from './legal-entities'
import { hashPassword } from './passwords'
import { createSession } from './sessions'

export type RegisterResult
  = | { ok: true, userId: number, username: string, token: string }
    | { ok: false, reason: 'taken' | 'idNumberRegistered' }

/** An organisation on a person's account, with what the city's legal-entity base data says of it (read now). */
export interface OrganizationView { id: number, name: string, uscc: string, createdAt: string, check: OrganizationCheck }

export type AddOrganizationResult = { ok: true, organization: OrganizationView } | { ok: false, reason: 'duplicate' | 'tooMany' }

/** How many organisations one person may act for: enough for any real case, bounded against abuse. */
export const MAX_ORGANIZATIONS = 20

const isUniqueViolation = (e: unknown) => e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE'

const usernameTaken = (conn: Connection, username: string) =>
  conn.sqlite.prepare('SELECT 1 FROM users WHERE lower(username) = lower(?)').get(username) !== undefined

/**
 * Whether an open account that has verified its mobile already has this ID number (by
 * users_id_number_idx). An unverified one does not stop a registration: anyone may type another's
 * ID number with their own mobile, and refusing the person then would lock them out for good (the
 * reset's code goes to the squatter's mobile). Among the holders, the first to verify the mobile
 * wins (mobile-verification.ts). A closed account has none left (closing erases it).
 */
const idNumberRegistered = (conn: Connection, idNumber: string) =>
  conn.sqlite.prepare('SELECT 1 FROM users WHERE id_number = ? AND closed_at IS NULL AND mobile_verified_at IS NOT NULL').get(idNumber) !== undefined

/**
 * Creates a citizen account (and the organisation, if given) and signs the person in. A username
 * is taken whatever its case (`Citizen` and `citizen` are one name), checked again by the unique
 * index when two registrations race. One person, one real-name account: an ID number an open
 * account holds is refused (counter linking and the password reset must find exactly one account),
 * checked under the write lock, so two registrations racing with one ID number cannot both pass.
 */
export async function registerPerson(conn: Connection, input: RegisterInput, meta: { ip: string, userAgent?: string }, now = new Date()): Promise<RegisterResult> {
  // Hash before taking the write lock: scrypt takes a few hundred milliseconds.
  if (usernameTaken(conn, input.username)) return { ok: false, reason: 'taken' }
  // asked before hashing too, so a refused registration costs no scrypt; the answer that counts is the one under the lock
  if (idNumberRegistered(conn, input.idNumber)) return { ok: false, reason: 'idNumberRegistered' }
  const hash = await hashPassword(input.password)
  try {
    return writeTransaction(conn, (): RegisterResult => {
      if (idNumberRegistered(conn, input.idNumber)) return { ok: false, reason: 'idNumberRegistered' }
      const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile, password_changed_at)
        VALUES (?, ?, 'citizen', ?, ?, ?, ?)`).run(input.username, hash, input.name, input.idNumber, input.mobile, now.toISOString())
      const userId = Number(lastInsertRowid)
      let organizationId: number | null = null
      if (input.organization) {
        organizationId = Number(conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)')
          .run(userId, input.organization.name, input.organization.uscc).lastInsertRowid)
      }
      const token = createSession(conn, userId, meta, now)
      writeAudit(conn, { actorId: userId, actorRole: 'citizen', action: 'account.register', subject: `user:${userId}`, detail: { organization: !!input.organization }, ip: meta.ip })
      // the organisation registered with the account is added as addOrganization adds one, with its own row
      if (organizationId !== null) {
        writeAudit(conn, { actorId: userId, actorRole: 'citizen', action: 'account.organization.add', subject: `organization:${organizationId}`, ip: meta.ip })
      }
      return { ok: true, userId, username: input.username, token }
    })
  }
  catch (e) {
    if (isUniqueViolation(e)) return { ok: false, reason: 'taken' }
    throw e
  }
}

/** The organisations a person acts for, oldest first. */
export function listOrganizations(conn: Connection, userId: number): OrganizationView[] {
  const holder = accountHolder(conn, userId)
  const rows = conn.sqlite.prepare('SELECT id, name, uscc, created_at AS createdAt FROM organizations WHERE user_id = ? ORDER BY id')
    .all(userId) as Omit<OrganizationView, 'check'>[]
  return rows.map(o => ({ ...o, check: organizationCheck(conn, o, holder) }))
}

export type RemoveOrganizationResult = { ok: true } | { ok: false, reason: 'notFound' | 'inUse' }

/**
 * Takes an organisation off a person's account (one added by mistake, or a company they no longer
 * act for). Not one a case, an e-licence or an application (a draft included: discard it first)
 * names: those are records of the organisation's business, and the link stays with them, as on
 * closing the account (docs/privacy.md). Someone else's is notFound, as an unknown one.
 */
export function removeOrganization(conn: Connection, actor: { id: number, role: string }, id: number, ip?: string | null): RemoveOrganizationResult {
  return writeTransaction(conn, (): RemoveOrganizationResult => {
    const own = conn.sqlite.prepare('SELECT 1 FROM organizations WHERE id = ? AND user_id = ?').get(id, actor.id)
    if (!own) return { ok: false, reason: 'notFound' }
    const used = conn.sqlite.prepare(`SELECT EXISTS (SELECT 1 FROM cases WHERE organization_id = :id)
      OR EXISTS (SELECT 1 FROM results WHERE holder_org_id = :id) OR EXISTS (SELECT 1 FROM applications WHERE organization_id = :id)`).pluck().get({ id })
    if (used) return { ok: false, reason: 'inUse' }
    conn.sqlite.prepare('DELETE FROM organizations WHERE id = ? AND user_id = ?').run(id, actor.id)
    writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'account.organization.remove', subject: `organization:${id}`, ip })
    return { ok: true }
  })
}

/** Adds an organisation (name and validated USCC) to a person's account; a code already there is a duplicate. */
export function addOrganization(conn: Connection, actor: { id: number, role: string }, org: { name: string, uscc: string }, ip?: string | null): AddOrganizationResult {
  try {
    return writeTransaction(conn, (): AddOrganizationResult => {
      const { n } = conn.sqlite.prepare('SELECT count(*) AS n FROM organizations WHERE user_id = ?').get(actor.id) as { n: number }
      if (n >= MAX_ORGANIZATIONS) return { ok: false, reason: 'tooMany' }
      const { lastInsertRowid } = conn.sqlite.prepare('INSERT INTO organizations (user_id, name, uscc) VALUES (?, ?, ?)').run(actor.id, org.name, org.uscc)
      const id = Number(lastInsertRowid)
      writeAudit(conn, { actorId: actor.id, actorRole: actor.role, action: 'account.organization.add', subject: `organization:${id}`, ip })
      const added = conn.sqlite.prepare('SELECT id, name, uscc, created_at AS createdAt FROM organizations WHERE id = ?').get(id) as Omit<OrganizationView, 'check'>
      return { ok: true, organization: { ...added, check: organizationCheck(conn, added, accountHolder(conn, actor.id)) } }
    })
  }
  catch (e) {
    if (isUniqueViolation(e)) return { ok: false, reason: 'duplicate' }
    throw e
  }
}
