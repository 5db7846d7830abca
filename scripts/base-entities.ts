/**
 * `npm run base:entities -- <file.json>`: loads what the registration authority shares of the
 * market entities registered in Shenzhen into the city's legal-entity base data (法人库), against
 * which the organisations people act for are checked (server/services/legal-entities.ts). The
 * file is a JSON array of `{ uscc, name, legalRepresentative, representativeIdNumber?, status,
 * statusDate? }` (status `active`, `deregistered` or `revoked`, the latter two with their day).
 *
 * Every entity is checked first, and one wrong is said with its place and field and nothing is
 * loaded. Entities not in the file stay as they were; each in it is added or replaced, a thousand
 * per short transaction so that the portal's own writes wait milliseconds, not the whole load, each
 * part audited from the console with its counts. A load stopped part-way is finished by loading the
 * same file again. Like the account commands, it writes only to the portal's database, there and
 * migrated, with its audit key (scripts/portal-database.ts).
 */
import { readFileSync } from 'node:fs'
import { fieldProblem } from './console-problems'
import { openPortalDatabase } from './portal-database'
import { importLegalEntities, legalEntitySchema, MAX_IMPORT_ENTITIES } from '../server/services/legal-entities'
import type { LegalEntityInput } from '../server/services/legal-entities'
import { runCommand } from './console-run'

const USAGE = 'usage: npm run base:entities -- <file.json>   (a JSON array of { uscc, name, legalRepresentative, representativeIdNumber?, status, statusDate? })'
/** How many problems are listed before the rest are only counted. */
const SHOWN_PROBLEMS = 20

/** The entities of the file, or the lines that say what is wrong with it. */
function readEntities(file: string): LegalEntityInput[] | string[] {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  }
  catch (error) {
    return [`${file} cannot be read as JSON: ${(error as Error).message}`]
  }
  if (!Array.isArray(data)) return [`${file} is not a JSON array of entities`]
  if (!data.length) return [`${file} has no entity`]
  if (data.length > MAX_IMPORT_ENTITIES) return [`${file} has ${data.length} entities: at most ${MAX_IMPORT_ENTITIES} in one file; split it`]
  const entities: LegalEntityInput[] = []
  const problems: string[] = []
  const seen = new Map<string, number>()
  data.forEach((item, i) => {
    const parsed = legalEntitySchema.safeParse(item)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`entity ${i + 1}${issue.path.length ? ` ${issue.path.join('.')}` : ''}: ${fieldProblem(issue.message)}`)
      return
    }
    const earlier = seen.get(parsed.data.uscc)
    if (earlier !== undefined) problems.push(`entity ${i + 1} uscc: ${parsed.data.uscc} is also entity ${earlier + 1}`)
    seen.set(parsed.data.uscc, i)
    entities.push(parsed.data)
  })
  if (!problems.length) return entities
  return problems.length > SHOWN_PROBLEMS ? [...problems.slice(0, SHOWN_PROBLEMS), `and ${problems.length - SHOWN_PROBLEMS} more`] : problems
}

function main(args: string[]): number {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error(USAGE)
    return 2
  }
  const read = readEntities(args[0]!)
  if (read.length && typeof read[0] === 'string') {
    for (const line of read as string[]) console.error(line)
    console.error('nothing was loaded')
    return 1
  }
  const conn = openPortalDatabase()
  try {
    const { added, changed, unchanged } = importLegalEntities(conn, read as LegalEntityInput[])
    console.log(`legal-entity base data: ${added} added, ${changed} changed, ${unchanged} unchanged`)
    return 0
  }
  finally {
    conn.sqlite.close()
  }
}

runCommand('base:entities', () => main(process.argv.slice(2)))
