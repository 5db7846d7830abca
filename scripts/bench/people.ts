/**
 * Generated people: citizens with valid GB 11643 ID numbers and mobiles, and a few clerks per
 * department. Every generated account shares ONE scrypt hash of the demo password: hashing 200,000
 * passwords at N = 2^17 (about 0.1 s each on this machine) would take more than five hours, and
 * the benchmark signs in with only a handful of them.
 */
import type Database from 'better-sqlite3'
import { makeIdNumber } from '../../shared/utils/id-number'
import type { Rng } from './prng'

export interface Person { id: number, name: string, idNumber: string, mobile: string }

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范金廖'] as const
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玲红建国志文斌宇浩然欣怡梓涵子轩雨桐思远嘉豪晓慧婷俊佳琪鹏辉凯'] as const
// Shenzhen's districts first (most applicants live here), then places many Shenzheners come from.
const REGIONS = ['440303', '440304', '440305', '440306', '440307', '440308', '440309', '440310', '440311', '430102', '420111', '360102', '450102', '510104', '441502', '445202'] as const
const DAY_MS = 86_400_000
const BIRTH_FROM = Date.UTC(1950, 0, 1) / DAY_MS
const BIRTH_TO = Date.UTC(2006, 11, 31) / DAY_MS

/** A plausible Chinese name of two or three characters. */
export function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.6) ? rng.pick(GIVEN) : '')
}

/** An 18-character ID number with a valid birth date and check character. */
export function idNumber(rng: Rng): string {
  const birth = new Date(rng.int(BIRTH_FROM, BIRTH_TO) * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')
  return makeIdNumber(`${rng.pick(REGIONS)}${birth}${String(rng.int(0, 999)).padStart(3, '0')}`)
}

/** 1[3-9] followed by nine digits. */
export function mobile(rng: Rng): string {
  return `1${rng.int(3, 9)}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`
}

/** Inserts `count` citizens (bench000001, …) in transactions of 50,000; returns them in id order. */
export function insertCitizens(sqlite: Database.Database, rng: Rng, count: number, hash: string): Person[] {
  // every one with the mobile proved theirs, so that each case's SMS is written as for a real
  // applicant's (server/services/notifications.ts sends none to a number never proved)
  const insert = sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile, created_at, mobile_verified_at)
    VALUES (?, ?, 'citizen', ?, ?, ?, ?, ?)`)
  const people: Person[] = []
  // one account per ID number, as registration requires: about 60 of 200,000 random draws repeat
  const taken = new Set<string>()
  const createdAt = '2024-06-01T00:00:00.000Z'
  for (let start = 0; start < count; start += 50_000) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(count, start + 50_000); i++) {
        const name = personName(rng)
        let idNo = idNumber(rng)
        while (taken.has(idNo)) idNo = idNumber(rng)
        taken.add(idNo)
        const p = { name, idNumber: idNo, mobile: mobile(rng) }
        const id = Number(insert.run(citizenUsername(i), hash, p.name, p.idNumber, p.mobile, createdAt, createdAt).lastInsertRowid)
        people.push({ id, ...p })
      }
    })()
  }
  return people
}

/** The username of the i-th generated citizen (0-based), so the benchmark can sign in as one. */
export function citizenUsername(i: number): string {
  return `bench${String(i + 1).padStart(6, '0')}`
}

/** Three clerks per department besides the demo ones; returns their ids by department. */
export function insertClerks(sqlite: Database.Database, rng: Rng, hash: string): Map<string, number[]> {
  const byDept = new Map<string, number[]>()
  const insert = sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES (?, ?, 'clerk', ?, ?)`)
  const existing = sqlite.prepare(`SELECT id, department_code AS dept FROM users WHERE role = 'clerk'`).all() as { id: number, dept: string }[]
  for (const c of existing) byDept.set(c.dept, [...(byDept.get(c.dept) ?? []), c.id])
  const depts = sqlite.prepare('SELECT code FROM departments ORDER BY code').all() as { code: string }[]
  sqlite.transaction(() => {
    for (const { code } of depts) {
      for (let n = 1; n <= 3; n++) {
        const id = Number(insert.run(`bench-clerk-${code.toLowerCase()}-${n}`, hash, code, personName(rng)).lastInsertRowid)
        byDept.set(code, [...(byDept.get(code) ?? []), id])
      }
    }
  })()
  return byDept
}
