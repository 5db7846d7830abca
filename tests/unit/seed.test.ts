/**
 * The seeded catalogue is what people see on a fresh portal: every item must pass the same
 * strict check an administrator's edit passes, and the catalogue must be rich enough for the
 * demo journeys (the demo clerk's department, every form field type, a mix of depths).
 */
import { describe, expect, it } from 'vitest'
import { departments, services, themes } from '../../db/seed/catalogue'
import { DEMO_CLERK_DEPARTMENT } from '../../db/seed/demo'
import { FIELD_TYPES, OPTIONAL_GUIDE_KEYS } from '../../shared/types/catalogue'
import { materialFileField } from '../../shared/utils/corrections'
import { optionalElements } from '../../shared/utils/guide-optional'
import { formDefinitionProblems } from '../../shared/utils/form-definition'
import { guideProblems } from '../../shared/utils/guide-schema'
import { getGuide, searchServices } from '../../server/services/catalogue'
import { freshDatabase } from '../support/db'

const ctx = { departments: departments.map(d => d.code), themes }

describe('the seeded catalogue', () => {
  it('has every item pass the administrators\' guide check with no problem', () => {
    const problems = services.flatMap(s => guideProblems(s, ctx))
    expect(problems).toEqual([])
  })

  it('lets an online applicant provide every required material: uploaded in the form, fetched by the department, or on paper', () => {
    const unprovidable = services.filter(s => s.form).flatMap(s => s.materials
      .filter(m => m.required && m.format !== 'paper' && !m.fetched && !materialFileField(s.form, m.name))
      .map(m => `${s.code} ${m.name}`))
    expect(unprovidable).toEqual([])
  })

  it('does not mark 免提交 a material the department fetches only for some applicants (本市户籍的…)', () => {
    const conditional = services.flatMap(s => s.materials
      .filter(m => m.fetched && /本市户籍的|在本市出生的|已在学信网认证的|已联网的|本市房产|无法调取的/.test(m.note ?? ''))
      .map(m => `${s.code} ${m.name}`))
    expect(conditional).toEqual([])
  })

  it('does not call a material electronic whose note asks for the original in person', () => {
    const contradictory = services.flatMap(s => s.materials
      .filter(m => m.format === 'electronic' && /原件|现场出示|交回/.test(m.note ?? ''))
      .map(m => `${s.code} ${m.name}`))
    expect(contradictory).toEqual([])
  })

  it('has unique codes, at least 150 items and at least 20 departments owning items', () => {
    expect(new Set(services.map(s => s.code)).size).toBe(services.length)
    expect(services.length).toBeGreaterThanOrEqual(150)
    expect(new Set(services.map(s => s.department)).size).toBeGreaterThanOrEqual(20)
  })

  it('has at least 30 valid forms that together use every field type', () => {
    const forms = services.flatMap(s => (s.form ? [s.form] : []))
    expect(forms.length).toBeGreaterThanOrEqual(30)
    for (const f of forms) expect(formDefinitionProblems(f)).toEqual([])
    const used = new Set(forms.flatMap(f => f.fields.map(field => field.type)))
    expect([...FIELD_TYPES].filter(t => !used.has(t))).toEqual([])
  })

  it('gives the demo clerk\'s department at least three person items with a form, one with a result', () => {
    const own = services.filter(s => s.department === DEMO_CLERK_DEPARTMENT && s.audience !== 'organization' && s.form && s.onlineDepth >= 3)
    expect(DEMO_CLERK_DEPARTMENT).toBe('SZRS')
    expect(own.length).toBeGreaterThanOrEqual(3)
    expect(own.some(s => s.resultName)).toBe(true)
  })

  it('mixes depths Ⅰ to Ⅳ, items suitable online and not, instant and promised items', () => {
    expect(new Set(services.map(s => s.onlineDepth))).toEqual(new Set([1, 2, 3, 4]))
    expect(services.some(s => !s.suitableOnline)).toBe(true)
    expect(services.some(s => s.suitableOnline)).toBe(true)
    expect(new Set(services.map(s => s.processType))).toEqual(new Set(['instant', 'promised']))
    expect(services.some(s => s.visits > 0)).toBe(true)
  })

  it('loads into the database as the public catalogue shows it', () => {
    const conn = freshDatabase({ demo: false })
    expect(searchServices(conn, { page: 1, pageSize: 1 }).total).toBe(services.length)
    const withForm = services.find(s => s.form && s.onlineDepth >= 3)!
    const guide = getGuide(conn, withForm.code)!
    expect(guide.onlineAvailable).toBe(true)
    expect(guide.form).toEqual(withForm.form)
    // an exported guide passes the same check, so an export can be imported back
    expect(guideProblems(guide, ctx)).toEqual([])
    conn.sqlite.close()
  })

  it('gives every licence an item issues its English title, and loads it', () => {
    const conn = freshDatabase({ demo: false })
    const untitled = conn.sqlite.prepare(`SELECT code FROM services WHERE result_name IS NOT NULL AND (result_name_en IS NULL OR result_name_en = '')`).all()
    expect(untitled).toEqual([])
    expect(getGuide(conn, 'SZSJ-0001')).toMatchObject({ resultName: '营业执照', resultNameEn: 'Business Licence' })
    conn.sqlite.close()
  })

  it('states the national guide\'s optional elements for the demo clerk\'s items and others, and loads every one of them', () => {
    const stating = services.filter(s => Object.keys(optionalElements(s)).length > 0)
    expect(stating.map(s => s.code)).toEqual(expect.arrayContaining(['SZRS-0004', 'SZRS-0010']))
    expect(stating.length).toBeGreaterThanOrEqual(6)
    const stated = new Set(stating.flatMap(s => Object.keys(optionalElements(s))))
    expect([...OPTIONAL_GUIDE_KEYS].filter(k => !stated.has(k))).toEqual([])
    const conn = freshDatabase({ demo: false })
    for (const s of stating) {
      const guide = getGuide(conn, s.code)!
      expect(optionalElements(guide)).toEqual(optionalElements(s))
      expect(guide.materials).toEqual(s.materials)
    }
    conn.sqlite.close()
  })
})
