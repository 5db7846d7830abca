/**
 * The demo's legal-entity base data (法人库): a few Shenzhen companies as the registration
 * authority would share them, so that the check of an organisation a person adds has something to
 * find (server/services/legal-entities.ts). The demo citizens are the legal representatives of
 * one each; one company is deregistered (注销) and one had its licence revoked (吊销). Invented,
 * as every demo name and number is; the codes are valid GB 32100 codes.
 */
import type { Connection } from '../client'
import { writeTransaction } from '../client'
import { makeUscc } from '../../shared/utils/uscc'

interface DemoEntity { uscc: string, name: string, legalRepresentative: string, representativeIdNumber: string | null, status: 'active' | 'deregistered' | 'revoked', statusDate: string | null }

export const DEMO_LEGAL_ENTITIES: readonly DemoEntity[] = [
  // the demo citizen 张晓明's own company, and 李慧芳's
  { uscc: makeUscc('91440300MA5R00001'), name: '深圳市晓明信息技术有限公司', legalRepresentative: '张晓明', representativeIdNumber: '440305199003072319', status: 'active', statusDate: null },
  { uscc: makeUscc('91440300MA5R00002'), name: '深圳市慧芳餐饮管理有限公司', legalRepresentative: '李慧芳', representativeIdNumber: '44030419881115002X', status: 'active', statusDate: null },
  // a company someone acts for as its agent, not its representative
  { uscc: makeUscc('91440300MA5R00003'), name: '深圳市鹏城物流（集团）有限公司', legalRepresentative: '赵国强', representativeIdNumber: '440303197805120018', status: 'active', statusDate: null },
  { uscc: makeUscc('91440300MA5R00004'), name: '深圳市南山旧城贸易有限公司', legalRepresentative: '钱文', representativeIdNumber: null, status: 'deregistered', statusDate: '2025-06-30' },
  { uscc: makeUscc('91440300MA5R00005'), name: '深圳市福田广源商行有限公司', legalRepresentative: '孙立', representativeIdNumber: null, status: 'revoked', statusDate: '2024-11-15' },
]

/** Inserts `entities` as the registration authority shares them (the demo's, or the demo history's companies). */
export function seedLegalEntities(conn: Connection, entities: readonly DemoEntity[], now = new Date()): void {
  writeTransaction(conn, () => {
    const insert = conn.sqlite.prepare(`INSERT OR REPLACE INTO legal_entities (uscc, name, legal_representative, representative_id_number, status, status_date, updated_at)
      VALUES (@uscc, @name, @legalRepresentative, @representativeIdNumber, @status, @statusDate, @updatedAt)`)
    for (const e of entities) insert.run({ ...e, updatedAt: now.toISOString() })
  })
}

export const seedDemoLegalEntities = (conn: Connection) => seedLegalEntities(conn, DEMO_LEGAL_ENTITIES)
export type { DemoEntity }
