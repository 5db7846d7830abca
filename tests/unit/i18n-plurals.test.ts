/**
 * Counts read right in English ("1 file", "2 files"), and Chinese, which has one form, renders the
 * whole sentence with the number whatever the count. Messages go through vue-i18n itself, as the
 * pages call them: t(key, { n }, n).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'

type Messages = { [key: string]: string | Messages }
type Named = Record<string, string | number>

function load(locale: string): Messages {
  const dir = join('i18n/locales', locale)
  return Object.assign({}, ...readdirSync(dir).filter(f => f.endsWith('.json')).sort()
    .map(f => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Messages)) as Messages
}

function flatten(m: Messages, prefix = ''): [string, string][] {
  return Object.entries(m).flatMap(([k, v]) => typeof v === 'string' ? [[prefix + k, v] as [string, string]] : flatten(v, `${prefix}${k}.`))
}

const en = load('en')
const zh = load('zh')
const zhRaw = new Map(flatten(zh))
// one instance per language, called the way the pages call it
const translators = {
  en: createI18n({ legacy: false, locale: 'en', fallbackLocale: false, messages: { en, zh } }).global,
  zh: createI18n({ legacy: false, locale: 'zh', fallbackLocale: false, messages: { en, zh } }).global,
}

function t(locale: 'en' | 'zh', key: string, named: Named, count: number): string {
  expect(translators[locale].te(key), `${locale}: ${key}`).toBe(true)
  return translators[locale].t(key, named, count)
}

/**
 * Each pluralised message: the named values its page passes for a count, and English for 0, 1 and 2.
 * vue-i18n picks the form by a numeric named `count` or `n` before the count argument, so a message
 * counted on anything else (total, pages…) must not have a numeric {n}: the named values here are
 * those of the page, to catch that.
 */
const cases: { key: string, named: (c: number) => Named, en: { 0?: string, 1: string, 2: string } }[] = [
  { key: 'catalogue.resultCount', named: n => ({ n }), en: { 0: 'No services found', 1: '1 service found', 2: '2 services found' } },
  { key: 'guide.workingDays', named: n => ({ n }), en: { 1: '1 working day', 2: '2 working days' } },
  { key: 'guide.validityYears', named: n => ({ n }), en: { 1: '1 year', 2: '2 years' } },
  { key: 'guide.validityMonths', named: n => ({ n }), en: { 1: '1 month', 2: '2 months' } },
  { key: 'report.supervision.pausedTold', named: n => ({ n }), en: { 1: 'the applicant was told 1 day', 2: 'the applicant was told 2 days' } },
  { key: 'home.itemCount', named: n => ({ n }), en: { 0: 'no services', 1: '1 service', 2: '2 services' } },
  { key: 'case.common.files', named: n => ({ n }), en: { 0: 'No files', 1: '1 file', 2: '2 files' } },
  { key: 'case.common.pageOf', named: total => ({ page: 1, pages: 1, total }), en: { 1: 'Page 1 of 1 (1 case)', 2: 'Page 1 of 1 (2 cases)' } },
  {
    key: 'account.login.attemptsLeft',
    named: n => ({ n }),
    en: {
      1: 'The username or password is not correct. You can try 1 more time; if it is wrong again, the account will be locked for 15 minutes. If you have forgotten the password, reset it with Forgot password?',
      2: 'The username or password is not correct. You can try 2 more times; if they are all wrong, the account will be locked for 15 minutes. If you have forgotten the password, reset it with Forgot password?',
    },
  },
  { key: 'account.login.tooManyFromAddress', named: n => ({ n }), en: { 1: 'Too many attempts: try again in 1 second', 2: 'Too many attempts: try again in 2 seconds' } },
  {
    key: 'account.password.done',
    named: n => ({ n }),
    en: {
      0: 'Your password is changed.',
      1: 'Your password is changed, and 1 other device is signed out.',
      2: 'Your password is changed, and 2 other devices are signed out.',
    },
  },
  {
    key: 'account.audit.intact',
    named: n => ({ n }),
    en: { 0: 'Check passed: the log is empty.', 1: 'Check passed: the 1 row is intact.', 2: 'Check passed: all 2 rows are intact.' },
  },
  {
    key: 'account.audit.broken',
    named: n => ({ id: 7, n }),
    en: {
      0: 'Check FAILED: row 7 was tampered with (it is the first row).',
      1: 'Check FAILED: row 7 was tampered with (1 row before it is intact).',
      2: 'Check FAILED: row 7 was tampered with (2 rows before it are intact).',
    },
  },
  { key: 'account.audit.total', named: n => ({ n }), en: { 0: '0 entries', 1: '1 entry', 2: '2 entries' } },
  { key: 'manage.list.count', named: n => ({ n }), en: { 0: 'No items', 1: '1 item', 2: '2 items' } },
  { key: 'manage.calendar.moved', named: n => ({ n }), en: { 0: 'No open case\'s deadline moved.', 1: 'The deadline of 1 open case moved with it.', 2: 'The deadlines of 2 open cases moved with it.' } },
  {
    key: 'form.drafts.intro',
    named: days => ({ days }),
    en: {
      1: 'Applications you have not submitted are kept here; drafts untouched for 1 day are deleted.',
      2: 'Applications you have not submitted are kept here; drafts untouched for 2 days are deleted.',
    },
  },
  { key: 'manage.builder.problems', named: n => ({ n }), en: { 1: '1 problem to correct before publishing:', 2: '2 problems to correct before publishing:' } },
  { key: 'manage.builder.publishBlocked', named: n => ({ n }), en: { 1: '1 problem remains; correct it to publish.', 2: '2 problems remain; correct them to publish.' } },
  { key: 'manage.import.done', named: created => ({ created, updated: 3 }), en: { 1: 'Imported: 1 new item, 3 updated.', 2: 'Imported: 2 new items, 3 updated.' } },
  { key: 'manage.import.problemItems', named: n => ({ n }), en: { 1: '1 item', 2: '2 items' } },
  { key: 'manage.import.clean', named: n => ({ n }), en: { 1: 'The item passes the check and can be imported.', 2: 'All 2 items pass the check and can be imported.' } },
  { key: 'case.supervision.overdueDays', named: n => ({ n }), en: { 1: '1 working day overdue', 2: '2 working days overdue' } },
  { key: 'case.supervision.leftDays', named: n => ({ n }), en: { 1: '1 working day left', 2: '2 working days left' } },
  { key: 'report.figures.fullyOnlineHelp', named: total => ({ fullyOnline: 1, total }), en: { 1: 'Items at online depth Level IV (fully online): 1 of 1 item', 2: 'Items at online depth Level IV (fully online): 1 of 2 items' } },
  { key: 'report.figures.fullyOnlineWithoutForm', named: n => ({ n }), en: { 1: '. Of these, 1 item is stated at Level IV but has no published form, so nobody can apply for it online (see "Suitable items not yet available online")', 2: '. Of these, 2 items are stated at Level IV but have no published form, so nobody can apply for them online (see "Suitable items not yet available online")' } },
  { key: 'report.figures.atMostOneVisitHelp', named: total => ({ atMostOneVisit: 1, total }), en: { 1: '1 of 1 item', 2: '1 of 2 items' } },
  {
    key: 'report.figures.onTimeHelp',
    named: completed => ({ onTime: '1', completed: String(completed) }),
    en: { 1: '1 of 1 case completed in the period', 2: '1 of 2 cases completed in the period' },
  },
  { key: 'report.figures.days', named: n => ({ n }), en: { 1: '1 working day', 2: '2 working days' } },
  { key: 'report.figures.satisfactionHelp', named: count => ({ count: String(count), score: 4.5 }), en: { 1: '1 rating, average 4.5', 2: '2 ratings, average 4.5' } },
  {
    key: 'report.notYetOnline.shownOf',
    named: total => ({ shown: 1, total }),
    en: { 1: 'Showing the 1 least advanced of 1 item.', 2: 'Showing the 1 least advanced of 2 items.' },
  },
  {
    key: 'report.supervision.pastLast',
    named: pages => ({ pages }),
    en: { 1: 'There is no such page: this list has 1 page.', 2: 'There is no such page: this list has 2 pages.' },
  },
  {
    key: 'report.supervision.shown',
    named: total => ({ total, first: 1, last: 1 }),
    en: { 1: '1 case in all; this page shows 1 to 1.', 2: '2 cases in all; this page shows 1 to 1.' },
  },
]

describe('counts in English and Chinese', () => {
  for (const c of cases) {
    it(`${c.key}: English agrees with the count`, () => {
      for (const count of [0, 1, 2] as const) {
        const expected = c.en[count]
        if (expected !== undefined) expect(t('en', c.key, c.named(count), count)).toBe(expected)
      }
    })

    it(`${c.key}: Chinese keeps one form and shows the whole sentence with the number`, () => {
      const raw = zhRaw.get(c.key)!
      expect(raw).not.toContain('|')
      for (const count of [1, 2]) {
        const named = c.named(count)
        const rendered = t('zh', c.key, named, count)
        expect(rendered).toBe(raw.replace(/\{(\w+)\}/g, (_, k: string) => String(named[k])))
        expect(rendered).toContain(String(count))
      }
    })
  }

  it('counts problems and the items they are in separately, as the import page does', () => {
    const summary = (locale: 'en' | 'zh', problems: number, items: number) =>
      t(locale, 'manage.import.problems', { n: problems, items: t(locale, 'manage.import.problemItems', { n: items }, items) }, problems)
    expect(summary('en', 1, 1)).toBe('1 problem in 1 item; nothing was written.')
    expect(summary('en', 2, 1)).toBe('2 problems in 1 item; nothing was written.')
    expect(summary('en', 3, 2)).toBe('3 problems in 2 items; nothing was written.')
    expect(summary('zh', 1, 1)).toBe('发现 1 个问题，涉及 1 个事项，未写入任何内容。')
    expect(summary('zh', 3, 2)).toBe('发现 3 个问题，涉及 2 个事项，未写入任何内容。')
  })

  it('keeps no "(s)" shortcut in English', () => {
    expect(flatten(en).filter(([, v]) => v.includes('(s)')).map(([k]) => k)).toEqual([])
  })
})

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(vue|ts)$/.test(e.name) ? [join(dir, e.name)] : [])
}

/** The top-level arguments of the call whose '(' is at `open`, as source text. */
function argumentsAt(source: string, open: number): string[] {
  const args: string[] = []
  let depth = 0
  let start = open + 1
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!
    if (ch === '\'' || ch === '"' || ch === '`') {
      const end = source.indexOf(ch, i + 1)
      if (end < 0) break
      i = end
    }
    else if ('([{'.includes(ch)) depth++
    else if (')]}'.includes(ch)) {
      depth--
      if (depth === 0) { args.push(source.slice(start, i).trim()); return args }
    }
    else if (ch === ',' && depth === 1) { args.push(source.slice(start, i).trim()); start = i + 1 }
  }
  throw new Error(`unbalanced call at ${open}`)
}

describe('calls of plural messages', () => {
  const plural = new Set(flatten(en).filter(([, v]) => v.includes('|')).map(([k]) => k))

  // without it, a message not counted on a numeric {n} shows its first form whatever the number
  it('pass the count as the plural choice', () => {
    const uncounted: string[] = []
    let calls = 0
    for (const file of ['pages', 'components', 'layouts', 'composables'].flatMap(sourceFiles).concat(['error.vue'])) {
      const source = readFileSync(file, 'utf8')
      for (const m of source.matchAll(/(?<![\w$.])\$?t\(\s*'([a-zA-Z][\w.-]*)'/g)) {
        if (!plural.has(m[1]!)) continue
        calls++
        const args = argumentsAt(source, m.index + m[0].indexOf('('))
        if (args.filter(Boolean).length < 3) uncounted.push(`${file}: ${m[1]}`)
      }
    }
    expect(calls).toBeGreaterThanOrEqual(plural.size)
    expect(uncounted).toEqual([])
  })
})
