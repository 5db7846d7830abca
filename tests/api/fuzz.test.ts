/**
 * The hostile-visitor story: every JSON endpoint, signed in as a role that may call it, gets
 * arbitrary JSON, wrong types, huge strings, control and bidi characters, prototype-pollution keys,
 * bad path and query parameters; uploads get truncated, oversized and disguised files. The server
 * never answers 5xx, and afterwards every row in the database is still valid.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkDraftAnswers } from '../../server/services/application-answers'
import { intakeDefinition } from '../../server/services/counter'
import type { FormDefinition } from '../../shared/types/catalogue'
import { isValidMobile } from '../../shared/utils/contact'
import { validateAnswers } from '../../shared/utils/form-schema'
import { isValidIdNumber } from '../../shared/utils/id-number'
import { ACTIONS } from '../../shared/utils/workflow'
import { Client } from '../support/client'
import { CLERK_SERVICE, createDraft, demoPerson, registerCitizen, routeFiles, submitOnline, uniquePdf } from '../support/fixtures'
import { fileForm, sampleHtml, samplePdf, samplePng } from '../support/files'
import { useTestServer } from '../support/server'

const MAX_UPLOAD = 64 * 1024
const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0', UPLOAD_MAX_BYTES: String(MAX_UPLOAD) } })
const RUNS = 60

const NASTY = [
  '', ' ', '\u0000', 'a\u0000b', '\u202Egpj.exe', '\u2066x\u2069', '\uD800', '\uDC00x', '\u0007\u001B[31m', '\r\n', '\u00A0',
  '__proto__', 'constructor', 'prototype', 'toString', '../../etc/passwd', '%00', '\'; DROP TABLE cases;--', '{{7*7}}',
  '<script>alert(1)</script>', '𠮷野家', '4403051990030723191', 'SZ20261128000001', '-1', '1e309', 'NaN', 'null',
]
const HUGE = 'x'.repeat(100_000)
const HUGE_ZH = '深'.repeat(40_000)

const hostileString = fc.oneof(
  fc.constantFrom(...NASTY, HUGE, HUGE_ZH),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
)
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'name', 'idNumber', 'mobile', 'cardBank', 'collectWay', 'mailAddress', 'digitalPhotoReceiptFile', 'answers', 'serviceCode', 'action', 'version'), fc.string({ maxLength: 12 }))
const { value: hostileValue } = fc.letrec<{ value: unknown }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 }),
  ),
}))
/** A JSON text: values, plus objects whose own keys include __proto__ (JSON.stringify would drop them). */
const hostileBody = fc.oneof(
  hostileValue.map(v => JSON.stringify(v) ?? 'null'),
  fc.tuple(hostileKey, hostileValue, hostileValue).map(([k, a, b]) => `{"__proto__": ${JSON.stringify(a) ?? 'null'}, ${JSON.stringify(k)}: ${JSON.stringify(b) ?? 'null'}, "constructor": {"prototype": {"polluted": true}}}`),
  fc.constantFrom('{', '[1,2', '"unterminated', '{"a":1}{"b":2}', '\u0000', '{"answers": NaN}', ''),
)
const hostileAnswers = fc.dictionary(hostileKey, hostileValue, { maxKeys: 8 })
/** Percent-encodes every byte of the UTF-8 (WTF-8 for lone surrogates) form, as a raw client may. */
const percentEncoded = (s: string) => Array.from(Buffer.from(s, 'utf8')).map(b => `%${b.toString(16).padStart(2, '0')}`).join('')
const pathSegment = fc.oneof(
  hostileString.filter(s => s.length > 0 && s.length < 300).map(percentEncoded),
  // malformed escapes: a decoder that throws must not become a 500
  fc.constantFrom('..', '%2e%2e', '%00', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', 'SZ20261128000001', 'a'.repeat(65), 'SZ2026%0A1128'),
)
const queryValue = fc.oneof(hostileString.filter(s => s.length < 2000), fc.constantFrom('0', '-1', '101', '1.5', '99999999999999999999', '2026-02-30', '2026-13-01'))

let citizen: Client
let clerk: Client
let admin: Client
let manager: Client
let anonymous: Client
let draftId: string
let caseNo: string
let startedAt: string

beforeAll(async () => {
  startedAt = new Date().toISOString()
  ;[citizen, clerk, admin, manager] = await Promise.all([
    new Client(t.url).login('citizen'), new Client(t.url).login('clerk'), new Client(t.url).login('admin'), new Client(t.url).login('manager'),
  ])
  anonymous = new Client(t.url)
  draftId = (await createDraft(citizen, CLERK_SERVICE)).id
  caseNo = (await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'fuzz')).caseNo
})

/** A message the page can translate (`validation.required`), not a library's English. */
const MESSAGE_KEY = /^[a-z]+(?:\.[A-Za-z]+)+$/

/** Sends and asserts what this file is about: never a server error, and field errors the page can show. */
async function never5xx(client: Client, method: string, path: string, body?: string | FormData, headers?: Record<string, string>) {
  const res = await client.request(method, path, body, headers)
  if (res.status >= 500) throw new Error(`${method} ${path.slice(0, 120)} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`)
  const fieldErrors = (res.body as { data?: { fieldErrors?: Record<string, unknown> } } | null)?.data?.fieldErrors ?? {}
  const untranslatable = Object.entries(fieldErrors).filter(([, m]) => typeof m !== 'string' || !MESSAGE_KEY.test(m))
  if (untranslatable.length) throw new Error(`${method} ${path.slice(0, 120)} answered field errors that are not message keys: ${JSON.stringify(untranslatable).slice(0, 300)}`)
  return res
}

const runs = (n = RUNS) => ({ numRuns: n })

describe('hostile JSON bodies', () => {
  // an account of its own for the personal-data routes: wrong passwords lock it, and closing is for good
  let closer: Client
  beforeAll(async () => { closer = (await registerCitizen(t.url, 9100, 'fuzzclose')).client })
  /** Every JSON write route (the route file), who calls it, and a path; `runs` lowers the count for body-less ones. */
  const endpoints: { route: string, client: () => Client, path: () => string, runs?: number }[] = [
    { route: 'POST /api/auth/register', client: () => anonymous, path: () => '/api/auth/register' },
    { route: 'POST /api/auth/login', client: () => anonymous, path: () => '/api/auth/login' },
    { route: 'POST /api/auth/password-reset/request', client: () => anonymous, path: () => '/api/auth/password-reset/request' },
    { route: 'POST /api/auth/password-reset/confirm', client: () => anonymous, path: () => '/api/auth/password-reset/confirm' },
    { route: 'POST /api/track', client: () => anonymous, path: () => '/api/track' },
    { route: 'POST /api/track/code', client: () => anonymous, path: () => '/api/track/code' },
    { route: 'POST /api/track/unlock', client: () => anonymous, path: () => '/api/track/unlock' },
    { route: 'POST /api/applications', client: () => citizen, path: () => '/api/applications' },
    { route: 'PUT /api/applications/[id]', client: () => citizen, path: () => `/api/applications/${draftId}` },
    { route: 'POST /api/applications/[id]/submit', client: () => citizen, path: () => `/api/applications/${draftId}/submit`, runs: 20 },
    { route: 'POST /api/cases/[caseNo]/transitions', client: () => clerk, path: () => `/api/cases/${caseNo}/transitions` },
    { route: 'POST /api/cases/[caseNo]/transitions', client: () => citizen, path: () => `/api/cases/${caseNo}/transitions` },
    { route: 'POST /api/cases/[caseNo]/extension-request', client: () => clerk, path: () => `/api/cases/${caseNo}/extension-request` },
    { route: 'POST /api/cases/[caseNo]/extension-decision', client: () => clerk, path: () => `/api/cases/${caseNo}/extension-decision` },
    { route: 'POST /api/cases/[caseNo]/reveal', client: () => clerk, path: () => `/api/cases/${caseNo}/reveal`, runs: 20 },
    { route: 'POST /api/cases/[caseNo]/rating', client: () => citizen, path: () => `/api/cases/${caseNo}/rating` },
    { route: 'POST /api/cases/[caseNo]/rating-prompt', client: () => clerk, path: () => `/api/cases/${caseNo}/rating-prompt`, runs: 20 },
    { route: 'POST /api/counter-cases', client: () => clerk, path: () => '/api/counter-cases' },
    { route: 'POST /api/me/organizations', client: () => citizen, path: () => '/api/me/organizations' },
    { route: 'POST /api/me/password', client: () => citizen, path: () => '/api/me/password' },
    { route: 'POST /api/me/mobile/verification', client: () => citizen, path: () => '/api/me/mobile/verification', runs: 20 },
    { route: 'POST /api/me/mobile/verification/confirm', client: () => citizen, path: () => '/api/me/mobile/verification/confirm' },
    { route: 'POST /api/me/data-export', client: () => closer, path: () => '/api/me/data-export' },
    { route: 'POST /api/me/close', client: () => closer, path: () => '/api/me/close' },
    { route: 'POST /api/me/messages/[id]/read', client: () => citizen, path: () => '/api/me/messages/1/read', runs: 20 },
    { route: 'POST /api/me/messages/read-all', client: () => citizen, path: () => '/api/me/messages/read-all', runs: 20 },
    { route: 'POST /api/me/shared-materials/results/[code]/attach', client: () => citizen, path: () => '/api/me/shared-materials/results/NOSUCHCODE0001/attach', runs: 20 },
    { route: 'PUT /api/calendar/days', client: () => admin, path: () => '/api/calendar/days' },
    { route: 'POST /api/manage/catalogue/import', client: () => admin, path: () => '/api/manage/catalogue/import?dryRun=1' },
    { route: 'POST /api/manage/services', client: () => admin, path: () => '/api/manage/services' },
    { route: 'PUT /api/manage/services/[code]/draft', client: () => clerk, path: () => `/api/manage/services/${CLERK_SERVICE}/draft` },
    { route: 'PUT /api/manage/services/[code]/form-draft', client: () => clerk, path: () => `/api/manage/services/${CLERK_SERVICE}/form-draft` },
    // unknown items: publishing, restoring or withdrawing a real one is not this file's business
    ...(['form-publish', 'publish', 'restore', 'withdraw'].map(a => ({ route: `POST /api/manage/services/[code]/${a}`, client: () => admin, path: () => `/api/manage/services/NOPE-0000/${a}`, runs: 15 }))),
    { route: 'POST /api/results/[code]/revoke', client: () => clerk, path: () => '/api/results/NOSUCHCODE0001/revoke' },
    { route: 'POST /api/rectifications/[id]/answer', client: () => clerk, path: () => '/api/rectifications/1/answer' },
    { route: 'POST /api/auth/keepalive', client: () => citizen, path: () => '/api/auth/keepalive', runs: 20 },
  ]
  /** Write routes fuzzed elsewhere or not at all, and why. */
  const NOT_HERE: Record<string, string> = {
    'POST /api/auth/logout': 'it takes no body and would end the session the other runs use',
    'POST /api/uploads': 'multipart: see "hostile uploads"',
  }

  it('covers every JSON write route under server/api', () => {
    const listed = new Set([...endpoints.map(e => e.route), ...Object.keys(NOT_HERE)])
    expect(routeFiles().filter(r => /^(POST|PUT|PATCH) /.test(r) && !listed.has(r))).toEqual([])
  })

  it('refuses a JSON null body as the wrong type, where it once counted as an empty one and a write went through', async () => {
    expect((await admin.request('PUT', '/api/calendar/days', 'null')).status).toBe(400)
    // an empty object is still a change of nothing, as before
    expect((await admin.request('PUT', '/api/calendar/days', '{}')).status).toBe(200)
  })

  for (const e of endpoints) {
    it(`${e.route}: arbitrary JSON never makes a 5xx`, async () => {
      await fc.assert(fc.asyncProperty(hostileBody, async (body) => {
        await never5xx(e.client(), e.route.split(' ')[0]!, e.path(), body)
      }), runs(e.runs ?? RUNS))
    })
  }

  it('drafts and counter cases with answers of every wrong type never make a 5xx', async () => {
    const p = demoPerson('citizen2')
    await fc.assert(fc.asyncProperty(hostileAnswers, fc.constantFrom(CLERK_SERVICE, 'SZRS-0001', 'SZRS-0010'), async (answers, serviceCode) => {
      await never5xx(citizen, 'PUT', `/api/applications/${draftId}`, JSON.stringify({ answers }))
      await never5xx(citizen, 'POST', '/api/applications', JSON.stringify({ serviceCode, answers }))
      await never5xx(clerk, 'POST', '/api/counter-cases', JSON.stringify({ serviceCode, applicant: p, answers }))
      await never5xx(citizen, 'POST', `/api/applications/${draftId}/submit`)
    }), runs(100))
  })

  it('transitions with every kind of action, version, comment, days and answers never make a 5xx', async () => {
    const action = fc.oneof(fc.constantFrom(...ACTIONS), hostileString)
    await fc.assert(fc.asyncProperty(action, hostileValue, hostileValue, hostileValue, hostileAnswers, async (a, version, comment, days, answers) => {
      await never5xx(clerk, 'POST', `/api/cases/${caseNo}/transitions`, JSON.stringify({ action: a, version, comment, days, answers, supplement: { fields: [comment], materials: [] } }))
    }), runs(80))
  })
})

describe('hostile paths and queries', () => {
  it('path parameters never make a 5xx', async () => {
    const templates: [() => Client, string, string][] = [
      [() => anonymous, 'GET', '/api/services/:x'], [() => citizen, 'GET', '/api/cases/:x'], [() => citizen, 'GET', '/api/applications/:x'],
      [() => citizen, 'GET', '/api/uploads/:x'], [() => anonymous, 'GET', '/api/verify/:x'], [() => citizen, 'GET', '/api/results/:x'],
      [() => citizen, 'POST', '/api/applications/:x/submit'], [() => clerk, 'POST', '/api/cases/:x/transitions'], [() => citizen, 'DELETE', '/api/uploads/:x'],
      [() => citizen, 'POST', '/api/me/messages/:x/read'], [() => citizen, 'DELETE', '/api/me/sessions/:x'], [() => clerk, 'GET', '/api/manage/services/:x'],
      [() => clerk, 'POST', '/api/rectifications/:x/answer'], [() => citizen, 'GET', '/api/cases/:x/rating'], [() => clerk, 'POST', '/api/cases/:x/reveal'],
      [() => clerk, 'GET', '/api/cases/:x/receipt'],
    ]
    await fc.assert(fc.asyncProperty(fc.constantFrom(...templates), pathSegment, async ([client, method, template], x) => {
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}'
      await never5xx(client(), method, template.replace(':x', x), body)
    }), runs(150))
  })

  it('query parameters never make a 5xx, and a malformed one is a 400, not a crash', async () => {
    const endpoints: [() => Client, string, string[]][] = [
      [() => anonymous, '/api/services', ['q', 'dept', 'audience', 'theme', 'depth', 'page', 'pageSize']],
      [() => clerk, '/api/cases', ['status', 'q', 'page', 'pageSize']],
      [() => anonymous, '/api/track', ['caseNo', 'idNumber']],
      [() => anonymous, '/api/calendar/deadline', ['from', 'days']],
      [() => anonymous, '/api/calendar/days', ['year']],
      [() => manager, '/api/reports/online-rate', ['from', 'to', 'dept', 'format']],
      [() => manager, '/api/reports/satisfaction', ['from', 'to', 'dept']],
      [() => manager, '/api/supervision', ['from', 'to']],
      [() => anonymous, '/api/open/rates', ['year', 'format']],
      [() => anonymous, '/api/open/catalogue', ['format']],
      [() => citizen, '/api/applications', ['status', 'serviceCode', 'organizationId', 'page', 'pageSize']],
      [() => citizen, '/api/applications/prefill', ['serviceCode', 'organizationId']],
      [() => citizen, '/api/me/messages', ['page', 'pageSize']],
      [() => citizen, '/api/me/materials', ['page', 'pageSize']],
      [() => clerk, '/api/rectifications', ['status', 'page', 'pageSize']],
      [() => clerk, '/api/manage/services', ['q', 'dept', 'status', 'page', 'pageSize']],
    ]
    const params = fc.array(fc.tuple(fc.nat(), queryValue), { minLength: 1, maxLength: 4 })
    await fc.assert(fc.asyncProperty(fc.constantFrom(...endpoints), params, fc.boolean(), async ([client, path, names], values, repeat) => {
      const q = new URLSearchParams()
      for (const [i, v] of values) q.append(names[i % names.length]!, v)
      // the same name twice is an array to h3: one of the classic crashes
      if (repeat) q.append(names[0]!, '1')
      await never5xx(client(), 'GET', `${path}?${q.toString()}`)
    }), runs(150))
  })

  it('bodies of the wrong content type are refused with 415, never a crash', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data']) {
      const res = await never5xx(citizen, 'POST', '/api/applications', 'serviceCode=SZRS-0004', { 'content-type': type })
      expect(res.status).toBe(415)
    }
  })
})

describe('hostile uploads', () => {
  const cases: [string, () => FormData | string, Record<string, string>, number][] = [
    ['a truncated PDF (magic bytes only)', () => fileForm(Buffer.from('%PDF-'), 'scan.pdf'), {}, 201],
    ['an empty file', () => fileForm(Buffer.alloc(0), 'empty.pdf'), {}, 415],
    ['an oversized PDF', () => fileForm(Buffer.concat([samplePdf, Buffer.alloc(MAX_UPLOAD + 10)]), 'big.pdf'), {}, 413],
    ['HTML named .pdf', () => fileForm(sampleHtml, 'invoice.pdf'), {}, 415],
    ['a PNG named .pdf', () => fileForm(samplePng, 'scan.pdf'), {}, 415],
    ['a PDF named .exe', () => fileForm(samplePdf, 'scan.exe'), {}, 415],
    ['a PDF named with a bidi override', () => fileForm(samplePdf, 'report\u202Efdp.exe'), {}, 415],
    ['a PDF under another field name', () => fileForm(samplePdf, 'scan.pdf', 'document'), {}, 400],
    ['a multipart body cut off in the middle', () => '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 and then noth', { 'content-type': 'multipart/form-data; boundary=XYZ' }, 400],
    ['multipart without a boundary', () => 'garbage', { 'content-type': 'multipart/form-data' }, 400],
  ]
  for (const [what, body, headers, status] of cases) {
    it(`${what}: ${status}`, async () => {
      const res = await never5xx(citizen, 'POST', '/api/uploads', body(), headers)
      expect(res.status).toBe(status)
    })
  }

  it('two files in one request are refused and leave no file behind', async () => {
    const form = fileForm(samplePdf, 'a.pdf')
    form.append('file', new Blob([new Uint8Array(uniquePdf('second'))]), 'b.pdf')
    const res = await never5xx(citizen, 'POST', '/api/uploads', form)
    expect(res.status).toBe(400)
  })

  it('random bytes under random names never make a 5xx', async () => {
    const head = fc.constantFrom(Buffer.from('%PDF-'), Buffer.from([0xFF, 0xD8, 0xFF]), samplePng.subarray(0, 8), Buffer.alloc(0))
    await fc.assert(fc.asyncProperty(head, fc.uint8Array({ maxLength: 2048 }), hostileString.filter(s => s.length < 500), async (h, bytes, name) => {
      await never5xx(citizen, 'POST', '/api/uploads', fileForm(Buffer.concat([h, bytes]), name))
    }), runs())
  })
})

describe('the database after all of it', () => {
  it('holds only valid rows: answers, cases, people, and no NUL in any text', () => {
    const db = new Database(join(t.server.dataDir, 'portal.db'), { readonly: true })
    try {
      const forms = new Map((db.prepare('SELECT id, definition FROM form_versions').all() as { id: number, definition: string }[]).map(f => [f.id, JSON.parse(f.definition) as FormDefinition]))
      const problems: string[] = []
      const apps = db.prepare('SELECT id, form_version_id AS formVersionId, answers, status FROM applications').all() as { id: string, formVersionId: number, answers: string, status: string }[]
      for (const a of apps) {
        const def = forms.get(a.formVersionId)!
        const answers = JSON.parse(a.answers) as unknown
        const checked = a.status === 'draft' ? checkDraftAnswers(def, answers) : validateAnswers(def, answers)
        if (!checked.ok) problems.push(`application ${a.id}: ${JSON.stringify(checked.fieldErrors)}`)
      }
      // the cases of this run (the demo history is generated without files; see the report)
      const cases = db.prepare('SELECT case_no AS caseNo, form_version_id AS formVersionId, channel, answers FROM cases WHERE submitted_at >= ?').all(startedAt) as { caseNo: string, formVersionId: number | null, channel: 'online' | 'counter', answers: string }[]
      for (const c of cases) {
        if (c.formVersionId === null) continue
        const result = validateAnswers(intakeDefinition(forms.get(c.formVersionId)!, c.channel), JSON.parse(c.answers))
        if (!result.ok) problems.push(`case ${c.caseNo}: ${JSON.stringify(result.fieldErrors)}`)
      }
      const users = db.prepare('SELECT username, id_number AS idNumber, mobile FROM users').all() as { username: string, idNumber: string | null, mobile: string | null }[]
      for (const u of users) {
        if (u.idNumber !== null && !isValidIdNumber(u.idNumber)) problems.push(`user ${u.username}: ID number`)
        if (u.mobile !== null && !isValidMobile(u.mobile)) problems.push(`user ${u.username}: mobile`)
      }
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\'`).all() as { name: string }[]).map(r => r.name)
      for (const table of tables) {
        const columns = (db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as { name: string, type: string }[]).filter(c => c.type.toUpperCase() === 'TEXT')
        for (const col of columns) {
          const n = (db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE instr(CAST("${col.name}" AS BLOB), x'00') > 0`).get() as { n: number }).n
          if (n) problems.push(`${table}.${col.name}: ${n} rows with NUL`)
        }
      }
      expect(problems).toEqual([])
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      // nothing reached the prototype of the server's objects: no key named "polluted" was stored as a field
      expect(db.prepare(`SELECT count(*) AS n FROM applications WHERE answers LIKE '%polluted%'`).get()).toEqual({ n: 0 })
    }
    finally { db.close() }
  })
})
