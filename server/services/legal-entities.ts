/**
 * The city's legal-entity base data (法人库, table legal_entities): loaded from what the
 * registration authority shares (npm run base:entities), and read to check an organisation a
 * person adds against it (OrganizationCheck). A check informs, it does not refuse: an entity
 * registered outside Shenzhen is not in the city's data, and the department, which sees the same
 * check on the case, decides what it needs (the business licence, an authorisation).
 */
import { z } from 'zod'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import type { OrganizationCheck, RegisteredEntity } from '../../shared/types/organization-check'
import { sameEntityName } from '../../shared/utils/entity-name'
import { idNumberSchema, organizationNameSchema, personNameSchema, usccSchema } from '../../shared/utils/validators'
import { isIsoDate } from '../../shared/utils/working-days'
import { writeAudit } from './audit'

export type { OrganizationCheck, RegisteredEntity }

/**
 * The person acting for an organisation as the check needs them: their ID number, and whether it is
 * proven theirs (online by the account's verified mobile, at the counter by the ID card seen there).
 */
export interface AccountHolder { idNumber: string | null, idNumberProven: boolean }

interface EntityRow { name: string, legalRepresentative: string, representativeIdNumber: string | null, status: 'active' | 'deregistered' | 'revoked', statusDate: string | null }

/** An entity's row as the check reads it and a load compares it, in EntityRow's order. */
const SELECT_ENTITY = `SELECT name, legal_representative AS legalRepresentative, representative_id_number AS representativeIdNumber,
    status, status_date AS statusDate FROM legal_entities WHERE uscc = ?`

/** The entity registered under `uscc`, or null. */
export function findLegalEntity(conn: Connection, uscc: string): RegisteredEntity | null {
  return conn.sqlite.prepare('SELECT uscc, name, status, status_date AS statusDate FROM legal_entities WHERE uscc = ?').get(uscc) as RegisteredEntity | undefined ?? null
}

/** What the base data says of `org` for the person `holder` acting for it (null: nobody known). */
export function organizationCheck(conn: Connection, org: { name: string, uscc: string }, holder: AccountHolder | null): OrganizationCheck {
  const entity = conn.sqlite.prepare(SELECT_ENTITY).get(org.uscc) as EntityRow | undefined
  if (!entity) return { kind: 'notFound' }
  if (entity.status !== 'active') return { kind: 'inactive', status: entity.status, statusDate: entity.statusDate, registeredName: entity.name }
  if (!sameEntityName(entity.name, org.name)) return { kind: 'nameMismatch', registeredName: entity.name }
  // an ID number anyone may type at registration proves nothing until the mobile is verified,
  // as for counter cases and licences reaching an account (mobile-verification.ts)
  const isRepresentative = holder?.idNumberProven === true && holder.idNumber !== null && holder.idNumber === entity.representativeIdNumber
  return { kind: isRepresentative ? 'legalRepresentative' : 'registered' }
}

/** The account holder of `userId` as organizationCheck needs them. */
export function accountHolder(conn: Connection, userId: number): AccountHolder {
  const row = conn.sqlite.prepare('SELECT id_number AS idNumber, mobile_verified_at IS NOT NULL AS verified FROM users WHERE id = ?').get(userId) as { idNumber: string | null, verified: number } | undefined
  return { idNumber: row?.idNumber ?? null, idNumberProven: row?.verified === 1 }
}

/**
 * Whether the base data holds any entity, and when it was last loaded from the console (null:
 * never; the demo's is seeded): for /api/health, so that a sync that stopped is noticed. Neither
 * counts the rows, which a city's register has millions of.
 */
export function legalEntitiesFreshness(conn: Connection): { loaded: boolean, lastLoadAt: string | null } {
  const loaded = conn.sqlite.prepare('SELECT EXISTS (SELECT 1 FROM legal_entities)').pluck().get() === 1
  const lastLoadAt = conn.sqlite.prepare(`SELECT at FROM audit_log WHERE action = 'base.legalEntities.import' ORDER BY id DESC LIMIT 1`).pluck().get() as string | undefined
  return { loaded, lastLoadAt: lastLoadAt ?? null }
}

/** One entity as the registration authority shares it; a status other than active needs its day. */
export const legalEntitySchema = z.object({
  uscc: usccSchema,
  name: organizationNameSchema,
  legalRepresentative: personNameSchema,
  representativeIdNumber: idNumberSchema.nullable().optional(),
  status: z.enum(['active', 'deregistered', 'revoked'], { error: 'validation.legalEntity.status' }),
  statusDate: z.string().refine(isIsoDate, 'validation.date').nullable().optional(),
}, { error: 'validation.invalidType' }).superRefine((e, ctx) => {
  if (e.status !== 'active' && !e.statusDate) ctx.addIssue({ code: 'custom', path: ['statusDate'], message: 'validation.legalEntity.statusDate' })
  if (e.status === 'active' && e.statusDate) ctx.addIssue({ code: 'custom', path: ['statusDate'], message: 'validation.legalEntity.activeDate' })
})
export type LegalEntityInput = z.output<typeof legalEntitySchema>

/** At most this many entities in one file: a day's changes, or the city's whole register in parts. */
export const MAX_IMPORT_ENTITIES = 200_000

export interface ImportedEntities { added: number, changed: number, unchanged: number }

/**
 * Entities written per transaction. A load holds the database's one write lock while it writes, and
 * a whole register's file in one transaction held it for seconds, during which no application could
 * be submitted; a thousand entities hold it for milliseconds.
 */
export const IMPORT_PART_SIZE = 1000

/** What a load's audit rows record beside the counts: which load, and which of its parts. */
export interface ImportPart { load: string, part: number, parts: number }

/**
 * Adds or replaces each entity of a validated file, `partSize` entities per short write transaction,
 * each part audited in its own transaction from the console with its counts (no name or number in
 * the row) and its place in the load (`load`: when the load began). Entities not in the file stay:
 * the authority shares what changed, and a deregistration comes as a row with its status. A load
 * that stops part-way (the process killed) has its earlier parts written and audited, and loading the
 * same file again finishes it: each entity's row is replaced whole, so writing it twice changes nothing.
 */
export function importLegalEntities(conn: Connection, entities: LegalEntityInput[], options: { now?: Date, partSize?: number } = {}): ImportedEntities {
  const { now = new Date(), partSize = IMPORT_PART_SIZE } = options
  const find = conn.sqlite.prepare(SELECT_ENTITY)
  const upsert = conn.sqlite.prepare(`INSERT INTO legal_entities (uscc, name, legal_representative, representative_id_number, status, status_date, updated_at)
    VALUES (@uscc, @name, @legalRepresentative, @representativeIdNumber, @status, @statusDate, @updatedAt)
    ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, legal_representative = excluded.legal_representative,
      representative_id_number = excluded.representative_id_number, status = excluded.status, status_date = excluded.status_date, updated_at = excluded.updated_at`)
  const total: ImportedEntities = { added: 0, changed: 0, unchanged: 0 }
  const parts = Math.max(1, Math.ceil(entities.length / partSize))
  for (let part = 1; part <= parts; part++) {
    const counts = writeTransaction(conn, () => {
      const counts: ImportedEntities = { added: 0, changed: 0, unchanged: 0 }
      for (const e of entities.slice((part - 1) * partSize, part * partSize)) {
        const row: EntityRow = { name: e.name, legalRepresentative: e.legalRepresentative, representativeIdNumber: e.representativeIdNumber ?? null, status: e.status, statusDate: e.statusDate ?? null }
        const before = find.get(e.uscc) as EntityRow | undefined
        if (before && JSON.stringify(before) === JSON.stringify(row)) {
          counts.unchanged++
          continue
        }
        upsert.run({ uscc: e.uscc, ...row, updatedAt: now.toISOString() })
        counts[before ? 'changed' : 'added']++
      }
      const place: ImportPart = { load: now.toISOString(), part, parts }
      writeAudit(conn, { actorRole: 'console', action: 'base.legalEntities.import', detail: { ...counts, ...place } })
      return counts
    })
    total.added += counts.added
    total.changed += counts.changed
    total.unchanged += counts.unchanged
  }
  return total
}
