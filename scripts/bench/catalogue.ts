/**
 * Grows the seeded catalogue to the benchmark's size: each copy is a seeded item as a sub-district
 * (街道) office publishes it, with its own code and name, the same department, guide and themes,
 * and, for a share of the items that have a form, its own published form version.
 */
import type Database from 'better-sqlite3'
import type { Rng } from './prng'

// Shenzhen's sub-districts: realistic names, so that one- and two-character searches match as many
// items as they would in a city-wide catalogue.
const SUBDISTRICTS = [...`福田 南园 园岭 沙头 香蜜湖 梅林 莲花 华富 华强北 福保 东门 翠竹 笋岗 桂园 黄贝 南湖 清水河 东湖 东晓 莲塘
  南头 南山 沙河 蛇口 招商 粤海 桃源 西丽 盐田 海山 沙头角 梅沙 新安 西乡 航城 福永 福海 沙井 新桥 松岗 燕罗 石岩 布吉
  坂田 南湾 横岗 龙城 龙岗 坪地 平湖 宝龙 园山 吉华 观澜 大浪 民治 龙华 福城 观湖 坪山 坑梓 马峦 石井 光明 公明 新湖
  凤凰 玉塘 马田 葵涌 大鹏 南澳`.split(/\s+/).filter(Boolean)]

/** Share of copied items with a form that get a published form of their own. */
const FORM_SHARE = 0.7

/** Adds copies until the catalogue holds `target` items; returns how many items it holds. */
export function growCatalogue(sqlite: Database.Database, rng: Rng, target: number): number {
  const originals = sqlite.prepare(`SELECT code, name, form_version_id AS formId FROM services ORDER BY code`).all() as { code: string, name: string, formId: number | null }[]
  const copies = Math.max(0, target - originals.length)
  const copyService = sqlite.prepare(`INSERT INTO services (code, basic_code, name, name_en, department_code, type, audience, process_type,
      online_depth, suitable_online, unsuitable_reason, visits, visits_reason, legal_limit_days, promised_limit_days, details,
      location, hours, consult_phone, complaint_phone, result_name, result_name_en, status, version, use_count, updated_at)
    SELECT :code, basic_code, :name, name_en || :suffix, department_code, type, audience, process_type,
      online_depth, suitable_online, unsuitable_reason, visits, visits_reason, legal_limit_days, promised_limit_days, details,
      :location, hours, consult_phone, complaint_phone, result_name, result_name_en, 'published', 1, 0, updated_at
    FROM services WHERE code = :from`)
  const copyThemes = sqlite.prepare('INSERT INTO service_themes (service_code, theme_code) SELECT ?, theme_code FROM service_themes WHERE service_code = ?')
  const copyForm = sqlite.prepare(`INSERT INTO form_versions (service_code, version, definition, status, published_at)
    SELECT ?, 1, definition, 'published', published_at FROM form_versions WHERE id = ?`)
  const linkForm = sqlite.prepare('UPDATE services SET form_version_id = ? WHERE code = ?')
  for (let start = 0; start < copies; start += 50_000) {
    sqlite.transaction(() => {
      for (let k = start; k < Math.min(copies, start + 50_000); k++) {
        const from = originals[k % originals.length]!
        const round = Math.floor(k / originals.length)
        const place = SUBDISTRICTS[round % SUBDISTRICTS.length]!
        const code = `${from.code}-${String(round + 1).padStart(3, '0')}`
        copyService.run({ code, from: from.code, name: `${place}街道${from.name}`, suffix: ` (sub-district office ${round + 1})`, location: `深圳市${place}街道党群服务中心（行政服务大厅）` })
        copyThemes.run(code, from.code)
        if (from.formId && rng.chance(FORM_SHARE)) linkForm.run(Number(copyForm.run(code, from.formId).lastInsertRowid), code)
      }
    })()
  }
  return originals.length + copies
}
