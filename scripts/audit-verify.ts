/**
 * `npm run audit:verify`: walks the audit log's HMAC chain of DATABASE_URL. Exits 0 when every
 * row holds; 1 and a row id when one does not: that row was edited or inserted, or the row before
 * it was removed; 2 when it cannot verify (no database there, no key, an anchor it cannot read).
 *
 * Removing the NEWEST rows leaves a shorter chain that still holds, which the database alone cannot
 * show: that takes a record of a row the log once held, kept elsewhere. Each backup's manifest
 * records its snapshot's newest row and link, and the last line printed here is one too:
 *   --backups            also checks the row each backup in BACKUP_DIR recorded
 *   --anchor <id>:<link> also checks that row (repeatable), e.g. the line kept from an earlier run
 * A recorded row that is gone, or is there with another link, exits 1 like a broken link.
 *
 * Read-only: opens the database read-only, never migrates, and never creates a database or a key
 * (a fresh key would make every row fail). Safe while the portal is running. Needs the same
 * AUDIT_HMAC_KEY, or the audit.key beside the database.
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { databasePath } from '../db/client'
import type { AuditAnchor } from '../server/services/audit'
import { anchorProblem, chainHead, readAuditKey, verifyAuditChain } from '../server/services/audit'
import { checkPublishedVersions } from '../server/services/published-versions-check'
import type { Connection } from '../db/client'
import { backupAuditHeads, backupDir } from '../server/services/backup'

/** The rows to look for: each `--anchor id:link`, and with `--backups` each backup's record. */
function anchorsFromArguments(args: string[]): { anchor: AuditAnchor, source: string }[] {
  const anchors: { anchor: AuditAnchor, source: string }[] = []
  args.forEach((arg, i) => {
    if (arg !== '--anchor') return
    const match = /^(\d+):([0-9a-f]{64})$/.exec(args[i + 1] ?? '')
    if (!match) throw new Error(`--anchor takes <row id>:<link> (the link: 64 hexadecimal digits), not "${args[i + 1] ?? ''}"`)
    anchors.push({ anchor: { id: Number(match[1]), link: match[2]! }, source: 'given' })
  })
  if (args.includes('--backups')) {
    for (const { backup, head } of backupAuditHeads()) anchors.push({ anchor: head, source: `recorded by backup ${backup} in ${backupDir()}` })
  }
  return anchors
}

let sqlite: Database.Database | undefined
try {
  const anchors = anchorsFromArguments(process.argv.slice(2))
  const path = databasePath()
  if (!existsSync(path)) throw new Error(`no database at ${path}: check DATABASE_URL`)
  const key = readAuditKey(path)
  if (!key) throw new Error(`no audit key: set AUDIT_HMAC_KEY, or put the site's audit.key beside ${path}`)
  sqlite = new Database(path, { readonly: true, fileMustExist: true })
  const { checked, firstBadId } = verifyAuditChain({ sqlite, path }, key)
  if (firstBadId === null) {
    const newest = chainHead({ sqlite })
    console.log(`audit chain intact: ${checked} rows checked`)
    if (newest) console.log(`newest row ${newest.id}, link ${newest.link}`)
  }
  else {
    console.error(`audit chain BROKEN at row ${firstBadId}: ${checked} rows before it hold; row ${firstBadId} was edited or inserted, or the row before it was removed (or the key is not the one that signed the log)`)
    process.exitCode = 1
  }
  for (const { anchor, source } of anchors) {
    const problem = anchorProblem({ sqlite }, anchor)
    if (problem === 'gone') {
      console.error(`audit log CUT BACK: row ${anchor.id} (${source}) is no longer in the log, whose newest row is ${chainHead({ sqlite })?.id ?? 'none'}: its newest rows were removed, or the database was restored from an older backup`)
      process.exitCode = 1
    }
    else if (problem === 'differs') {
      console.error(`audit log REWRITTEN: row ${anchor.id} (${source}) has another link than the one recorded: the log was rewritten from that row on`)
      process.exitCode = 1
    }
  }
  if (anchors.length && process.exitCode !== 1) console.log(`the log still holds the ${anchors.length} recorded row${anchors.length === 1 ? '' : 's'}, with the same links`)
  // the published guides and forms against the hashes their publications' audit rows record
  const published = checkPublishedVersions({ sqlite, path } as Connection)
  for (const m of published.mismatches) {
    console.error(`published ${m.kind === 'form' ? 'form' : 'guide'} CHANGED: ${m.code} version ${m.version} (audit row ${m.auditId}) ${m.kind === 'inForce' ? 'is no longer what the item shows and counts deadlines from' : 'no longer matches the text its publication recorded'}`)
    process.exitCode = 1
  }
  if (!published.mismatches.length) console.log(`published versions intact: ${published.checked} checked${published.unrecorded ? `, ${published.unrecorded} published before hashes were recorded` : ''}`)
}
catch (error) {
  console.error(`audit verification failed: ${(error as Error).message}`)
  process.exitCode = 2
}
finally {
  sqlite?.close()
}
