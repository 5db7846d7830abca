/**
 * Chinese first, English second, nothing hard-coded: both languages have the same keys, and every
 * key a page or component asks for with t('…') exists; and the words that said more than the
 * portal does (the home page's headline, the clerk's note to the applicant, a manager on a case).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'

type Messages = { [key: string]: string | Messages }

function flatten(m: Messages, prefix = ''): string[] {
  return Object.entries(m).flatMap(([k, v]) => typeof v === 'string' ? [prefix + k] : flatten(v, `${prefix}${k}.`))
}

function load(locale: string): Messages {
  const dir = join('i18n/locales', locale)
  const merged: Messages = {}
  for (const file of readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
    const content = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Messages
    for (const [k, v] of Object.entries(content)) {
      if (k in merged) throw new Error(`${locale}/${file}: top-level key "${k}" is also defined in another file`)
      merged[k] = v
    }
  }
  return merged
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(vue|ts)$/.test(e.name) ? [join(dir, e.name)] : [])
}

describe('two languages', () => {
  const zh = new Set(flatten(load('zh')))
  const en = new Set(flatten(load('en')))

  it('has every Chinese message in English too, and nothing only in English', () => {
    expect([...zh].filter(k => !en.has(k))).toEqual([])
    expect([...en].filter(k => !zh.has(k))).toEqual([])
  })

  it('has a message for every literal key the pages and components use', () => {
    const used = new Set<string>()
    for (const file of ['pages', 'components', 'layouts', 'composables'].flatMap(sourceFiles).concat(['error.vue'])) {
      const source = readFileSync(file, 'utf8')
      for (const m of source.matchAll(/\b(?:\$t|t)\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(m[1]!)
    }
    expect(used.size).toBeGreaterThan(50)
    const missing = [...used].filter(k => !zh.has(k) && ![...zh].some(z => z.startsWith(`${k}.`)))
    expect(missing).toEqual([])
  })

  it('uses no full-width punctuation in English messages (an English page read "Not met（5.0% short）")', () => {
    const english = load('en')
    const fullWidth = flatten(english).filter((key) => {
      const text = key.split('.').reduce<string | Messages>((node, part) => (node as Messages)[part]!, english) as string
      return /[（）：，。；！？“”]/.test(text.replace(/[“”]/g, ''))
    })
    expect(fullWidth).toEqual([])
  })

  it('writes no Chinese text into pages and components: it comes from the message files', () => {
    const offenders = ['pages', 'components', 'layouts'].flatMap(sourceFiles).concat(['error.vue'])
      .filter(f => f.endsWith('.vue'))
      .filter(f => /\p{Script=Han}/u.test(readFileSync(f, 'utf8').replace(/<!--[\s\S]*?-->|\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
    expect(offenders).toEqual([])
  })
})

describe('words the review found promising more than the portal does', () => {
  const messages = { zh: load('zh'), en: load('en') }
  const i18n = (locale: 'zh' | 'en') => createI18n({ legacy: false, locale, fallbackLocale: false, messages }).global

  it('says on the home page that the share counts items applied for and accepted online, not fully online ones', () => {
    // the share counts depth Ⅲ (在线受理) as well as Ⅳ; 全程网办 is Ⅳ alone
    const headline = i18n('zh').t('home.headline', { share: '92.5', available: 37, suitable: 40 })
    expect(headline).toBe('可网办的事项中已有 92.5% 可在线申请和受理（37 / 40 项）')
    expect(headline).not.toContain('全程')
  })

  it('tells the clerk that the optional note of an action goes to the applicant', () => {
    expect(i18n('zh').t('case.detail.comment')).toBe('给申请人的说明（可选，申请人可见）')
    expect(i18n('en').t('case.detail.comment')).toBe('Note to the applicant (optional; the applicant will see it)')
  })

  it('tells a manager on a case page that managers only view cases, instead of blaming the status', () => {
    expect(i18n('zh').t('case.detail.managerReadOnly')).toBe('管理人员仅可查看办件，不能办理。')
    expect(i18n('en').t('case.detail.managerReadOnly')).toBe('Managers can view cases but cannot act on them.')
  })
})
