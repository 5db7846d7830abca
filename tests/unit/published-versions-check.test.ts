/**
 * An auditor checking that what was published is still what is stored: a guide's snapshot and a
 * form's definition live in ordinary tables the audit chain does not cover, so each publication's
 * audit row records their hash, and a version edited in the database afterwards is reported even
 * though the chain itself still holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { verifyAuditChain } from '../../server/services/audit'
import { getGuide } from '../../server/services/catalogue'
import type { Actor } from '../../server/services/catalogue-admin'
import { publishGuide, saveGuideDraft } from '../../server/services/catalogue-admin'
import { publishForm, saveFormDraft } from '../../server/services/catalogue-admin-form'
import { exportCatalogue, importCatalogue } from '../../server/services/catalogue-import'
import { checkPublishedVersions, checkPublishedVersionsInSteps, publishedTextHash } from '../../server/services/published-versions-check'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
let admin: Actor

beforeEach(() => {
  conn = freshDatabase()
  admin = { id: userIdOf(conn, 'admin'), role: 'admin', departmentCode: null }
})
afterEach(() => conn.sqlite.close())

const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

/** SZRS-0002 edited and published twice (versions 2 and 3), a new form for it, and SZRS-0004 imported. */
function publishSome() {
  const { department: _d, onlineAvailable: _o, ...guide } = getGuide(conn, 'SZRS-0002')!
  tx(() => saveGuideDraft(conn, admin, 'SZRS-0002', { ...guide, department: 'SZRS', fees: [{ name: '工本费', amount: '10元', basis: '《收费目录》' }] }))
  tx(() => publishGuide(conn, admin, 'SZRS-0002'))
  tx(() => saveGuideDraft(conn, admin, 'SZRS-0002', { ...guide, department: 'SZRS', fees: [] }))
  tx(() => publishGuide(conn, admin, 'SZRS-0002'))
  tx(() => saveFormDraft(conn, admin, 'SZRS-0002', { ...guide.form!, fields: guide.form!.fields.slice(0, 2) }))
  tx(() => publishForm(conn, admin, 'SZRS-0002'))
  const exported = exportCatalogue(conn).services.find(s => s.code === 'SZRS-0004')!
  tx(() => importCatalogue(conn, admin, [{ ...exported, name: `${exported.name}（新版）`, form: { ...exported.form!, fields: exported.form!.fields.slice(0, 2) } }], { dryRun: false }))
}

const publishedForm = (code: string) => conn.sqlite.prepare(`SELECT id, version FROM form_versions WHERE service_code = ? AND status = 'published'`).get(code) as { id: number, version: number }

describe('an auditor checking the published versions against the audit log', () => {
  it('finds every publication as it was recorded when nothing was edited', async () => {
    publishSome()
    const result = checkPublishedVersions(conn)
    // two guide versions and a form by the editor; a guide and a form by the import
    expect(result).toEqual({ checked: 5, unrecorded: 0, mismatches: [] })
    expect(await checkPublishedVersionsInSteps(conn, 2)).toEqual(result)
  })

  it('reports the guide version whose published legal basis was changed in the database, though the audit chain still holds', async () => {
    publishSome()
    // version 2, superseded by 3: what it said stays part of the record
    const row = conn.sqlite.prepare(`SELECT guide FROM service_versions WHERE service_code = 'SZRS-0002' AND version = 2`).get() as { guide: string }
    const edited = { ...JSON.parse(row.guide), legalBasis: ['《一部从未适用的规定》'] }
    conn.sqlite.prepare(`UPDATE service_versions SET guide = ? WHERE service_code = 'SZRS-0002' AND version = 2`).run(JSON.stringify(edited))

    expect(verifyAuditChain(conn).firstBadId).toBeNull()
    const result = checkPublishedVersions(conn)
    expect(result.mismatches).toEqual([{ kind: 'guide', code: 'SZRS-0002', version: 2, auditId: expect.any(Number) }])
    expect(await checkPublishedVersionsInSteps(conn, 2)).toEqual(result)
  })

  it('reports a published form whose definition was changed, and an item whose time limit in force was changed', () => {
    publishSome()
    const form = publishedForm('SZRS-0004')
    conn.sqlite.prepare(`UPDATE form_versions SET definition = json_set(definition, '$.fields[0].required', json('false')) WHERE id = ?`).run(form.id)
    conn.sqlite.prepare(`UPDATE services SET promised_limit_days = promised_limit_days + 10 WHERE code = 'SZRS-0002'`).run()

    const mismatches = checkPublishedVersions(conn).mismatches.map(({ auditId: _id, ...m }) => m)
    expect(mismatches).toEqual([
      { kind: 'inForce', code: 'SZRS-0002', version: 3 },
      { kind: 'form', code: 'SZRS-0004', version: form.version },
    ])
  })

  it('takes a stored text whose keys were only reordered as unchanged, and records the hash of what is stored', () => {
    publishSome()
    const row = conn.sqlite.prepare(`SELECT guide FROM service_versions WHERE service_code = 'SZRS-0002' AND version = 3`).get() as { guide: string }
    const reversed = Object.fromEntries(Object.entries(JSON.parse(row.guide) as Record<string, unknown>).reverse())
    conn.sqlite.prepare(`UPDATE service_versions SET guide = ? WHERE service_code = 'SZRS-0002' AND version = 3`).run(JSON.stringify(reversed))
    expect(checkPublishedVersions(conn).mismatches).toEqual([])

    const audit = conn.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'catalogue.publish' AND subject = 'SZRS-0002' ORDER BY id DESC LIMIT 1`).get() as { detail: string }
    expect(JSON.parse(audit.detail)).toEqual({ version: 3, sha256: publishedTextHash(row.guide) })
  })

  it('counts publications audited before hashes were recorded apart, with nothing to compare them with', () => {
    tx(() => conn.sqlite.prepare(`INSERT INTO audit_log (at, action, subject, detail, hmac) VALUES (?, 'catalogue.publish', 'SZRS-0001', '{"version":1}', '')`).run(new Date().toISOString()))
    expect(checkPublishedVersions(conn)).toEqual({ checked: 0, unrecorded: 1, mismatches: [] })
  })
})
