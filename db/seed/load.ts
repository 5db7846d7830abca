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

export function catalogueIsEmpty(conn: Connection): boolean {
  const row = conn.sqlite.prepare('SELECT count(*) AS n FROM services').get() as { n: number }
  return row.n === 0
}

export function seedCatalogue(conn: Connection): void {
  const { db } = conn
  writeTransaction(conn, () => {
    for (const d of departments) db.insert(departmentsTable).values(d).run()
    themes.forEach((t, sort) => db.insert(themesTable).values({ code: t.code, audience: t.audience, nameZh: t.name.zh, nameEn: t.name.en, sort }).run())
    for (const s of services) {
      db.insert(servicesTable).values({
        code: s.code, basicCode: s.basicCode, name: s.name, nameEn: s.nameEn, departmentCode: s.department,
        type: s.type, audience: s.audience, processType: s.processType, onlineDepth: s.onlineDepth,
        suitableOnline: s.suitableOnline, unsuitableReason: s.unsuitableReason, visits: s.visits, visitsReason: s.visitsReason,
        legalLimitDays: s.legalLimitDays, promisedLimitDays: s.promisedLimitDays,
        details: guideDetails(s),
        location: s.location, hours: s.hours, consultPhone: s.consultPhone, complaintPhone: s.complaintPhone, resultName: s.resultName,
      }).run()
      for (const theme of s.themes) db.insert(serviceThemes).values({ serviceCode: s.code, themeCode: theme }).run()
      if (s.form) {
        const form = db.insert(formVersions).values({
          serviceCode: s.code, version: 1, definition: s.form, status: 'published', publishedAt: new Date().toISOString(),
        }).returning({ id: formVersions.id }).get()
        db.update(servicesTable).set({ formVersionId: form.id }).where(sql`${servicesTable.code} = ${s.code}`).run()
      }
    }
    rebuildSearchIndex(conn)
  })
}
