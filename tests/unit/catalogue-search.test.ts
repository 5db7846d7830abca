/**
 * Searching the catalogue with full-width and compatibility forms (what Chinese input methods type
 * in full-width mode), and imported texts trimmed: against a real database with the seed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { applyMigrations, openDatabase, writeTransaction } from '../../db/client'
import { seedCatalogue } from '../../db/seed/load'
import { getGuide, searchServices, searchServicesUncached } from '../../server/services/catalogue'
import type { Actor } from '../../server/services/catalogue-admin'
import { createService, getManagedService, listManagedServices } from '../../server/services/catalogue-admin'
import { importCatalogue } from '../../server/services/catalogue-import'
import { freshDatabase, userIdOf } from '../support/db'

let conn: Connection
let admin: Actor

beforeEach(() => {
  conn = freshDatabase()
  admin = { id: userIdOf(conn, 'admin'), role: 'admin', departmentCode: null }
})
afterEach(() => conn.sqlite.close())

const tx = <T>(fn: () => T) => writeTransaction(conn, fn)

function guide(code: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code, basicCode: '000111999000', department: 'SZRS', type: 'public_service', audience: 'person',
    name: '青年人才驿站入住申请', nameEn: 'Youth talent hostel', legalLimitDays: 20, promisedLimitDays: 5, processType: 'promised',
    onlineDepth: 2, suitableOnline: true, unsuitableReason: null, visits: 0, visitsReason: null,
    themes: ['employment'], keywords: ['人才驿站'], conditions: ['来深求职的应届毕业生。'],
    materials: [{ name: '毕业证书', required: true, format: 'electronic', copies: 1, source: 'applicant' }],
    fees: [], steps: [{ name: '申请', description: '在线提交。' }], location: '市民中心', hours: '工作日 9:00-18:00',
    consultPhone: '12333', complaintPhone: '12345', legalBasis: ['《深圳经济特区人才工作条例》'], resultName: null, form: null,
    ...over,
  }
}

function imported(...items: Record<string, unknown>[]) {
  const result = tx(() => importCatalogue(conn, admin, items, { dryRun: false }))
  expect(result).toMatchObject({ ok: true, problems: [] })
}

const codes = (q: string) => searchServicesUncached(conn, { q, page: 1, pageSize: 100 }).items.map(i => i.code)

describe('a search folds full-width and compatibility forms', () => {
  beforeEach(() => imported(
    guide('FOLD-HALF', { name: '深港通SZ12345登记', keywords: ['半角'] }),
    guide('FOLD-FULL', { name: '前海ＱＷ通行证申领', keywords: ['全角'] }),
  ))

  it('finds a half-width name with a full-width query, two characters (LIKE) and more (full text)', () => {
    expect(codes('ＳＺ')).toEqual(['FOLD-HALF'])
    expect(codes('ｓｚ')).toEqual(['FOLD-HALF'])
    expect(codes('１２３４５')).toEqual(['FOLD-HALF'])
    expect(codes('ＳＺ１２３４５登记')).toEqual(['FOLD-HALF'])
  })

  it('finds a full-width name with a half-width query, two characters (LIKE) and more (full text)', () => {
    expect(codes('QW')).toEqual(['FOLD-FULL'])
    expect(codes('qw')).toEqual(['FOLD-FULL'])
    expect(codes('前海QW通行证')).toEqual(['FOLD-FULL'])
  })

  it('finds the seed\'s full-width brackets with half-width ones, and shows the name as it was written', () => {
    const [withBracket] = conn.sqlite.prepare(`SELECT code, name FROM services WHERE status = 'published' AND name LIKE '%（%'`).all() as { code: string, name: string }[]
    const part = withBracket!.name.slice(withBracket!.name.indexOf('（'), withBracket!.name.indexOf('（') + 3)
    const found = searchServicesUncached(conn, { q: part.replace('（', '('), page: 1, pageSize: 100 }).items
    expect(found.find(i => i.code === withBracket!.code)?.name).toBe(withBracket!.name)
  })

  it('trims a full-width space around the query and escapes a full-width % as a literal one', () => {
    expect(codes('\u3000ＳＺ\u3000')).toEqual(['FOLD-HALF'])
    expect(codes('％')).toEqual([])
    imported(guide('FOLD-PCT', { name: '补贴发放50%预付', keywords: ['百分比'] }))
    expect(codes('％')).toEqual(['FOLD-PCT'])
  })

  it('ranks an item whose folded name matches before one that only mentions the query, however popular', () => {
    imported(guide('FOLD-BODY', { name: '其他登记', keywords: ['QW通行证办理'] }))
    conn.sqlite.prepare('UPDATE services SET use_count = 1000000 WHERE code = ?').run('FOLD-BODY')
    // FTS path: the full-width name 前海ＱＷ通行证申领 holds qw通行证 once folded
    expect(codes('qw通行证')).toEqual(['FOLD-FULL', 'FOLD-BODY'])
    // LIKE path
    expect(codes('ｑｗ')).toEqual(['FOLD-FULL', 'FOLD-BODY'])
  })

  it('answers ＳＺ and SZ from one cache entry', () => {
    const first = searchServices(conn, { q: 'ＳＺ', page: 1, pageSize: 10 })
    expect(first.items.map(i => i.code)).toEqual(['FOLD-HALF'])
    // the index changed behind the catalogue version's back: only a cached answer still has the item
    conn.sqlite.prepare('DELETE FROM services_fts WHERE code = ?').run('FOLD-HALF')
    expect(searchServices(conn, { q: ' SZ ', page: 1, pageSize: 10 })).toEqual(first)
    expect(codes('SZ')).toEqual([])
  })

  it('folds the managers\' search on both sides too, drafts included', () => {
    tx(() => createService(conn, admin, guide('FOLD-DRAFT', { name: '草稿ＸＹ事项' })))
    const managed = (q: string) => listManagedServices(conn, admin, { q, page: 1, pageSize: 100 }).items.map(i => i.code)
    expect(managed('xy')).toEqual(['FOLD-DRAFT'])
    expect(managed('\u3000ＳＺ１２')).toEqual(['FOLD-HALF'])
    expect(managed('ｆｏｌｄ－ｆｕｌｌ')).toEqual(['FOLD-FULL'])
    expect(managed('QW')).toEqual(['FOLD-FULL'])
  })
})

describe('an index written before the text was folded', () => {
  it('is folded when the server opens the database again, without a manual step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'search-fold-'))
    try {
      const url = `file:${join(dir, 'portal.db')}`
      const old = openDatabase(url)
      applyMigrations(old, 'db/migrations')
      seedCatalogue(old)
      // the rows as the code before the folding wrote them: name and body as stored
      writeTransaction(old, () => {
        old.sqlite.prepare('DELETE FROM services_fts').run()
        const rows = old.sqlite.prepare(`SELECT s.code, s.name, s.name_en AS nameEn, d.name AS deptName, s.details
          FROM services s JOIN departments d ON d.code = s.department_code`).all() as { code: string, name: string, nameEn: string, deptName: string, details: string }[]
        for (const s of rows) {
          const details = JSON.parse(s.details) as { keywords: string[], materials: { name: string }[] }
          const body = [s.nameEn, s.deptName, ...details.keywords, ...details.materials.map(m => m.name)].join(' ')
          old.sqlite.prepare('INSERT INTO services_fts (code, name, body) VALUES (?, ?, ?)').run(s.code, s.name, body)
        }
      })
      const unfolded = (c: Connection) => (c.sqlite.prepare(`SELECT count(*) AS n FROM services_fts WHERE name LIKE '%（%' OR body LIKE '%（%'`).get() as { n: number }).n
      expect(unfolded(old)).toBeGreaterThan(0)
      const total = (old.sqlite.prepare('SELECT count(*) AS n FROM services_fts').get() as { n: number }).n
      old.sqlite.close()

      // what the server does at start (server/utils/db.ts), then a citizen's search
      const reopened = openDatabase(url)
      try {
        applyMigrations(reopened, 'db/migrations')
        const [withBracket] = reopened.sqlite.prepare(`SELECT code, name FROM services WHERE status = 'published' AND name LIKE '%（%'`).all() as { code: string, name: string }[]
        const i = withBracket!.name.indexOf('（')
        const q = withBracket!.name.slice(i, i + 3).replace('（', '(')
        expect(searchServices(reopened, { q, page: 1, pageSize: 100 }).items.map(s => s.code)).toContain(withBracket!.code)
        expect(unfolded(reopened)).toBe(0)
        expect((reopened.sqlite.prepare('SELECT count(*) AS n FROM services_fts').get() as { n: number }).n).toBe(total)
      }
      finally {
        reopened.sqlite.close()
      }
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('an import\'s texts are trimmed', () => {
  it('stores names, English names and guide texts without the spaces, U+3000 and line breaks around them', () => {
    imported(guide('TRIM-1', {
      name: '\u3000 青年人才驿站入住申请 \n', nameEn: ' Youth talent hostel\r\n',
      department: { code: 'SZRS', name: ' 深圳市人力资源和社会保障局\u3000', nameEn: 'Human Resources ' },
      keywords: [' 人才驿站\u3000'], conditions: ['\n来深求职的应届毕业生。 '],
      steps: [{ name: ' 申请 ', description: '\u3000在线提交，  审核后通知。\n' }],
    }))
    const g = getGuide(conn, 'TRIM-1')!
    expect(g).toMatchObject({ name: '青年人才驿站入住申请', nameEn: 'Youth talent hostel', keywords: ['人才驿站'], conditions: ['来深求职的应届毕业生。'] })
    expect(g.department.code).toBe('SZRS')
    // only the ends: the spaces inside a text are the writer's
    expect(g.steps).toEqual([{ name: '申请', description: '在线提交，  审核后通知。' }])
    expect(codes('人才驿站入住')).toContain('TRIM-1')
  })

  it('refuses a name of only spaces with the same field error as an empty name', () => {
    const problemsOf = (name: string) => tx(() => importCatalogue(conn, admin, [guide('TRIM-2', { name })], { dryRun: false })).problems
    const empty = problemsOf('')
    expect(empty).toEqual([{ code: 'TRIM-2', field: 'name', message: 'manage.rule.required' }])
    expect(problemsOf('\u3000 \n\t')).toEqual(empty)
    expect(conn.sqlite.prepare('SELECT 1 FROM services WHERE code = ?').get('TRIM-2')).toBeUndefined()
  })

  it('trims an editor\'s draft the same way (the shared schema)', () => {
    tx(() => createService(conn, admin, guide('TRIM-3', { name: ' 草稿事项\u3000' })))
    expect(getManagedService(conn, admin, 'TRIM-3')?.draft?.guide.name).toBe('草稿事项')
  })
})

describe('a search of several words, or of a code', () => {
  beforeEach(() => imported(
    guide('WORDS-1', { name: '社会保险关系转移申请', keywords: ['社保转移'] }),
    guide('WORDS-2', { name: '户口迁移登记', keywords: ['户籍'] }),
    guide('WORDS-3', { name: '社会保险费缴纳', keywords: ['社保缴费'] }),
  ))

  // the seed's own items may match too: these tests' items are told by their codes
  const ours = (q: string) => codes(q).filter(c => c.startsWith('WORDS-'))

  it('finds items holding every word, wherever each is, short words and long', () => {
    expect(ours('社保 转移')).toEqual(['WORDS-1'])
    expect(ours('户口 迁移')).toEqual(['WORDS-2'])
    expect(ours('社会保险 缴纳')).toEqual(['WORDS-3'])
    // a word no item holds leaves nothing, rather than the items matching the other word
    expect(codes('社保 护照')).toEqual([])
  })

  it('ranks an item whose name holds every word first', () => {
    imported(guide('WORDS-4', { name: '其他事项', keywords: ['社会保险关系转移咨询'] }))
    conn.sqlite.prepare('UPDATE services SET use_count = 1000000 WHERE code = ?').run('WORDS-4')
    expect(ours('社会保险 转移')).toEqual(['WORDS-1', 'WORDS-4'])
  })

  it('finds the item by the code its guide shows, or by its basic code, in any case, and nothing for an unknown one', () => {
    imported(guide('WORDS-5', { basicCode: '000111555000' }))
    expect(codes('WORDS-5')).toEqual(['WORDS-5'])
    expect(codes(' words-5 ')).toEqual(['WORDS-5'])
    expect(codes('000111555000')).toEqual(['WORDS-5'])
    expect(codes('WORDS-9999')).toEqual([])
  })
})

describe('a search in traditional characters', () => {
  it('finds the simplified items as Hong Kong and Taiwan write their names, with one, two and more characters', () => {
    const simplified = codes('往来港澳通行证签注')
    expect(simplified.length).toBeGreaterThan(0)
    // as a Hong Kong resident types it
    expect(codes('往來港澳通行證簽注')).toEqual(simplified)
    expect(codes('護照')).toEqual(codes('护照'))
    expect(codes('證')).toEqual(codes('证'))
    // Taiwan's forms too, and a simplified query is what it was
    expect(codes('營業執照')).toEqual(codes('营业执照'))
    expect(codes('营业执照').length).toBeGreaterThan(0)
  })

  it('tries the query as typed first: a character that is simplified too is not changed into another', () => {
    // 著 is simplified Chinese as well (著作权), and OpenCC turns it into 着
    imported(guide('TRAD-ZHU', { name: '作品著录登记', keywords: ['著录'] }))
    expect(codes('著')).toContain('TRAD-ZHU')
    expect(codes('著录')).toEqual(['TRAD-ZHU'])
  })
})
