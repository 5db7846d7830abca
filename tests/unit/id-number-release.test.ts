/**
 * A person whose ID number an account they never made holds (registered with their name and ID
 * number and someone else's mobile, which that someone proved): after staff have seen their ID
 * card at a counter, an administrator releases the number (`npm run user:release-id`) and the
 * person can register; the other account loses the number and its sessions, audited without it.
 */
import { describe, expect, it, vi } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { releaseIdNumber } from '../../server/services/id-number-release'
import { markMobileVerified } from '../../server/services/mobile-verification'
import { registerPerson } from '../../server/services/registration'
import { findSessionUser } from '../../server/services/sessions'
import { registerSchema } from '../../shared/utils/validators'
import { freshDatabase } from '../support/db'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const meta = { ip: '192.0.2.1' }
const ID_NUMBER = '11010519491231002X'
const person = { username: 'wang.wu', password: 'a long enough passphrase', name: '王五', idNumber: ID_NUMBER, mobile: '13912345678' }
const squatter = { ...person, username: 'not.wang', mobile: '13700002222' }

const verify = (conn: Connection, id: number) =>
  writeTransaction(conn, () => markMobileVerified(conn, { id, role: 'citizen' }, 'code', null, new Date().toISOString()))

async function squatted(conn: Connection) {
  const taken = await registerPerson(conn, registerSchema.parse(squatter), meta)
  if (!taken.ok) throw new Error('expected the squatter\'s registration')
  verify(conn, taken.userId)
  expect(await registerPerson(conn, registerSchema.parse(person), meta)).toEqual({ ok: false, reason: 'idNumberRegistered' })
  return taken
}

describe('an ID number held by an account its person never made', () => {
  it('is released by an administrator, and then the person registers', async () => {
    const conn = freshDatabase()
    const taken = await squatted(conn)

    const released = releaseIdNumber(conn, ID_NUMBER.toLowerCase(), '福田服务大厅3号窗口核验身份证原件，工单 2026-1204-07')
    expect(released).toEqual({ ok: true, accounts: [{ userId: taken.userId, username: 'not.wang', endedSessions: 1 }] })
    // the other account keeps its name and password but not the number, nor a session
    expect(conn.sqlite.prepare('SELECT id_number AS idNumber, mobile_verified_at AS verified FROM users WHERE id = ?').get(taken.userId)).toEqual({ idNumber: null, verified: null })
    expect(findSessionUser(conn, taken.token)).toBeNull()
    // audited from the console with the reason, naming the account, never the number
    const audit = conn.sqlite.prepare(`SELECT actor_role AS role, subject, detail FROM audit_log WHERE action = 'account.idNumber.release'`).all() as { role: string, subject: string, detail: string }[]
    expect(audit).toEqual([{ role: 'console', subject: `user:${taken.userId}`, detail: expect.stringContaining('工单 2026-1204-07') }])
    expect(JSON.stringify(audit)).not.toContain('11010519491231002')

    const mine = await registerPerson(conn, registerSchema.parse(person), meta)
    expect(mine.ok).toBe(true)
  })

  it('is refused for a malformed number, one no account holds, and a reason that holds personal data', async () => {
    const conn = freshDatabase()
    expect(releaseIdNumber(conn, '110105194912310021', 'checked at the counter')).toEqual({ ok: false, reason: 'idNumber' })
    expect(releaseIdNumber(conn, ID_NUMBER, 'checked at the counter')).toEqual({ ok: false, reason: 'noAccount' })
    await squatted(conn)
    expect(releaseIdNumber(conn, ID_NUMBER, `核验了 ${ID_NUMBER}`)).toEqual({ ok: false, reason: 'reasonPersonalData' })
    expect(releaseIdNumber(conn, ID_NUMBER, '  ')).toEqual({ ok: false, reason: 'reasonMissing' })
    expect(conn.sqlite.prepare('SELECT count(*) FROM users WHERE id_number = ?').pluck().get(ID_NUMBER)).toBe(1)
  })
})
