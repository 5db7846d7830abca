/**
 * Loads the service catalogue into an empty database. The same code runs on server start and in
 * the seed test, so what the test checks is what people see.
 */
import { sql } from 'drizzle-orm'
import type { Connection } from '../client'
import { writeTransaction } from '../client'
import { departments as departmentsTable, formVersions, serviceThemes, services as servicesTable, themes as themesTable } from '../schema'
import { departments, services, themes } from './catalogue'
import { rebuildSearchIndex } from '../search-index'
import { guideDetails } from '../../shared/utils/guide-optional'
import { RESULT_NAMES_EN } from './catalogue/result-names-en'

export function catalogueIsEmpty(conn: Connection): boolean {
  const row = conn.sqlite.prepare('SELECT count(*) AS n FROM services').get() as { n: number }
  return row.n === 0
}

export function seedCatalogue(conn: Connection): void {
  const { db } = conn
  writeTransaction(conn, () => {
    for (const d of departments) db.insert(departmentsTable).values(d).run()
    themes.forEach((t, sort) => db.insert(themesTable).values({ code: t.code, audience: t.audience, nameZh: t.name.zh, nameEn: t.name.en, sort }).run())
    const insertService = conn.sqlite.prepare(`INSERT INTO services (code, basic_code, name, name_en, department_code, type, audience,
        process_type, online_depth, suitable_online, unsuitable_reason, visits, visits_reason, legal_limit_days, promised_limit_days,
        details, location, hours, consult_phone, complaint_phone, result_name)
      VALUES (@code, @basicCode, @name, @nameEn, @departmentCode, @type, @audience, @processType, @onlineDepth, @suitableOnline,
        @unsuitableReason, @visits, @visitsReason, @legalLimitDays, @promisedLimitDays, @details, @location, @hours,
        @consultPhone, @complaintPhone, @resultName)`)
    for (const s of services) {
      // by name, not through drizzle, which writes every column its schema has: the migration tests
      // load this seed into databases migrated only up to an older migration
      insertService.run({
        code: s.code, basicCode: s.basicCode, name: s.name, nameEn: s.nameEn, departmentCode: s.department,
        type: s.type, audience: s.audience, processType: s.processType, onlineDepth: s.onlineDepth,
        suitableOnline: s.suitableOnline ? 1 : 0, unsuitableReason: s.unsuitableReason, visits: s.visits, visitsReason: s.visitsReason,
        legalLimitDays: s.legalLimitDays, promisedLimitDays: s.promisedLimitDays,
        details: JSON.stringify(guideDetails(s)),
        location: s.location, hours: s.hours, consultPhone: s.consultPhone, complaintPhone: s.complaintPhone, resultName: s.resultName,
      })
      for (const theme of s.themes) db.insert(serviceThemes).values({ serviceCode: s.code, themeCode: theme }).run()
      if (s.form) {
        const form = db.insert(formVersions).values({
          serviceCode: s.code, version: 1, definition: s.form, status: 'published', publishedAt: new Date().toISOString(),
        }).returning({ id: formVersions.id }).get()
        db.update(servicesTable).set({ formVersionId: form.id }).where(sql`${servicesTable.code} = ${s.code}`).run()
      }
    }
    nameLicencesInEnglish(conn)
    rebuildSearchIndex(conn)
  })
}

/**
 * The English titles of the seed items' licences (migration 0033's column), apart from the rows'
 * insert: the migration tests load this seed into a database migrated only up to an older
 * migration, which has no such column and keeps no English title.
 */
function nameLicencesInEnglish(conn: Connection): void {
  const columns = conn.sqlite.prepare('SELECT name FROM pragma_table_info(\'services\')').all() as { name: string }[]
  if (!columns.some(c => c.name === 'result_name_en')) return
  const name = conn.sqlite.prepare('UPDATE services SET result_name_en = ? WHERE code = ?')
  for (const s of services) {
    const english = s.resultNameEn ?? (s.resultName ? RESULT_NAMES_EN[s.resultName] : undefined)
    if (english) name.run(english, s.code)
  }
}
