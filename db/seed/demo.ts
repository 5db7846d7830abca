/**
 * Demo mode (PORTAL_DEMO=1) only: the contract's demo accounts and a history of cases. Nothing
 * here runs in a real deployment, where staff accounts come from `npm run user:create`.
 */
import type { Connection } from '../client'
import { writeTransaction } from '../client'
import { hashPasswordSync, PUBLISHED_PASSWORD_COST } from '../../server/services/passwords'

export const DEMO_PASSWORD = 'portal-demo-2026'
/** The demo clerk's department owns several online items, one of them instant, some with results. */
export const DEMO_CLERK_DEPARTMENT = 'SZRS'
export const DEMO_CLERK2_DEPARTMENT = 'SZGA'

export const demoAccounts = [
  { username: 'citizen', role: 'citizen', name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', email: 'zhangxm@example.com', departmentCode: null },
  { username: 'citizen2', role: 'citizen', name: '李慧芳', idNumber: '44030419881115002X', mobile: '13912345678', email: 'lihf@example.com', departmentCode: null },
  { username: 'clerk', role: 'clerk', name: '王建国', idNumber: null, mobile: null, email: null, departmentCode: DEMO_CLERK_DEPARTMENT },
  // the head of the demo clerk's department (本行政机关负责人): extends time limits, decides the clerks' requests to
  { username: 'head', role: 'clerk', name: '赵志刚', idNumber: null, mobile: null, email: null, departmentCode: DEMO_CLERK_DEPARTMENT },
  { username: 'clerk2', role: 'clerk', name: '陈丽', idNumber: null, mobile: null, email: null, departmentCode: DEMO_CLERK2_DEPARTMENT },
  { username: 'manager', role: 'manager', name: '刘主任', idNumber: null, mobile: null, email: null, departmentCode: null },
  { username: 'admin', role: 'admin', name: '系统管理员', idNumber: null, mobile: null, email: null, departmentCode: null },
  { username: 'auditor', role: 'auditor', name: '审计员', idNumber: null, mobile: null, email: null, departmentCode: null },
] as const

export function seedDemoAccounts(conn: Connection): void {
  // the password is published: its hash's cost would protect nothing (PUBLISHED_PASSWORD_COST)
  const hash = hashPasswordSync(DEMO_PASSWORD, PUBLISHED_PASSWORD_COST)
  writeTransaction(conn, () => {
    const insert = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name, id_number, mobile, email)
      VALUES (@username, @hash, @role, @departmentCode, @name, @idNumber, @mobile, @email)`)
    for (const a of demoAccounts) insert.run({ ...a, hash })
    // The demo citizens stand for people who verified their mobile, as counter linking and the
    // counter licences on "My e-licences" require (server/services/applicant-match.ts). Migration
    // tests seed these accounts into a database of an older migration, before the column (0019).
    if (conn.sqlite.prepare(`SELECT 1 FROM pragma_table_info('users') WHERE name = 'mobile_verified_at'`).get()) {
      const verify = conn.sqlite.prepare('UPDATE users SET mobile_verified_at = ? WHERE username = ? AND mobile IS NOT NULL')
      for (const a of demoAccounts) verify.run(new Date().toISOString(), a.username)
    }
    if (conn.sqlite.prepare(`SELECT 1 FROM pragma_table_info('users') WHERE name = 'department_head'`).get()) {
      conn.sqlite.prepare(`UPDATE users SET department_head = 1 WHERE username = 'head'`).run()
    }
  })
}
