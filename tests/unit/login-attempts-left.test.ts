/**
 * A person who has forgotten their password is told, at each wrong one, how many more the sign-in
 * takes before it locks for 15 minutes, so that they can stop and reset it in time. The count is
 * the lock's own (a wrong current password in a password change counts too), and a name that no
 * account has, a disabled staff account's and a closed account's are told exactly the same, so the
 * count tells nobody whether a name is an account's.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import type { LoginResult } from '../../server/services/accounts'
import { LOCK_MS, login, MAX_FAILED_LOGINS } from '../../server/services/accounts'
import { changePassword } from '../../server/services/own-password'
import { closeAccount } from '../../server/services/personal-data'
import { registerPerson } from '../../server/services/registration'
import { findSessionUser } from '../../server/services/sessions'
import { disableStaffUser } from '../../server/services/staff-accounts'
import { freshDatabase } from '../support/db'
import { syntheticIdNumber } from '../support/fixtures'

// scrypt at N = 2^17 takes a second or more on a busy two-core machine
vi.setConfig({ testTimeout: 120_000 })

const meta = { ip: '192.0.2.77', userAgent: 'test' }
const T0 = new Date('2026-03-02T02:00:00Z')
const wrong = (attemptsLeft: number): LoginResult => ({ ok: false, reason: 'wrong', attemptsLeft })

/** The answers to six wrong passwords in a row under the name, then the right one after the lock. */
async function sixWrongThenLater(conn: Connection, username: string, rightPassword: string): Promise<LoginResult[]> {
  const answers: LoginResult[] = []
  for (let i = 0; i <= MAX_FAILED_LOGINS; i++) answers.push(await login(conn, username, `not the password ${i}`, meta, T0))
  // after the lock: a wrong one again (an account's right one would sign in, which a name cannot)
  answers.push(await login(conn, username, `${rightPassword} but not quite`, meta, new Date(T0.getTime() + LOCK_MS + 1000)))
  return answers
}

describe('a person who keeps typing a wrong password', () => {
  it('is told 4, 3, 2, then 1 more tries remain, and the fifth locks the account for 15 minutes', async () => {
    const conn = freshDatabase()
    const answers = await sixWrongThenLater(conn, 'citizen', DEMO_PASSWORD)
    const lockEnds = new Date(T0.getTime() + LOCK_MS).toISOString()
    expect(answers).toEqual([
      wrong(4), wrong(3), wrong(2), wrong(1),
      { ok: false, reason: 'locked', retryAt: lockEnds, justLocked: true },
      { ok: false, reason: 'locked', retryAt: lockEnds },
      // the lock over, the count starts again from five
      wrong(4),
    ])
  })

  it('starts again after a day left alone, for an account as for a name no account has, so the count tells them apart no more', async () => {
    const conn = freshDatabase()
    const day2 = new Date(T0.getTime() + 24 * 60 * 60 * 1000 + 60_000)
    const answers = async (username: string) => [await login(conn, username, 'a guess', meta, T0), await login(conn, username, 'a guess', meta, day2)]
    expect(await answers('citizen')).toEqual([wrong(4), wrong(4)])
    expect(await answers('nobody-has-this-name')).toEqual([wrong(4), wrong(4)])
    // within the day it counts on, for both
    const later = new Date(day2.getTime() + 60_000)
    expect(await login(conn, 'citizen', 'a guess', meta, later)).toEqual(wrong(3))
    expect(await login(conn, 'nobody-has-this-name', 'a guess', meta, later)).toEqual(wrong(3))
  })

  it('is told the truth after wrong current passwords in a password change, which count towards the same lock', async () => {
    const conn = freshDatabase()
    const signedIn = await login(conn, 'citizen2', DEMO_PASSWORD, meta, T0)
    if (!signedIn.ok) throw new Error('expected a sign-in')
    const me = findSessionUser(conn, signedIn.token, T0)!
    for (let i = 0; i < 2; i++) await changePassword(conn, me, 'a guess at it', 'a new long passphrase 2026', {}, T0)
    expect(await login(conn, 'citizen2', 'still a guess', meta, T0)).toEqual(wrong(2))
    expect(await login(conn, 'citizen2', 'still a guess', meta, T0)).toEqual(wrong(1))
    expect(await login(conn, 'citizen2', 'still a guess', meta, T0)).toMatchObject({ ok: false, reason: 'locked', justLocked: true })
  })

  it('starts again from five after signing in with the right password', async () => {
    const conn = freshDatabase()
    for (let i = 0; i < 3; i++) await login(conn, 'citizen', 'not it', meta, T0)
    expect((await login(conn, 'citizen', DEMO_PASSWORD, meta, T0)).ok).toBe(true)
    expect(await login(conn, 'citizen', 'not it', meta, T0)).toEqual(wrong(4))
  })
})

describe('someone trying names to learn which are accounts', () => {
  it('gets the same counts for a name nobody has, a disabled staff account and a closed account as for an open account', async () => {
    const conn = freshDatabase()
    const password = 'a sentence for a short-lived account'
    const made = await registerPerson(conn, { username: 'gone-soon', password, name: '周注销', idNumber: syntheticIdNumber(9771), mobile: '13700009771' }, { ip: meta.ip }, T0)
    if (!made.ok) throw new Error(made.reason)
    expect(await closeAccount(conn, { id: made.userId, role: 'citizen' }, password, meta.ip, T0)).toEqual({ ok: true })
    disableStaffUser(conn, 'clerk', 'left the department')

    const account = await sixWrongThenLater(conn, 'citizen', DEMO_PASSWORD)
    expect(account.slice(0, 4)).toEqual([wrong(4), wrong(3), wrong(2), wrong(1)])
    expect(await sixWrongThenLater(conn, 'nobody-by-this-name', DEMO_PASSWORD)).toEqual(account)
    expect(await sixWrongThenLater(conn, 'clerk', DEMO_PASSWORD)).toEqual(account)
    expect(await sixWrongThenLater(conn, 'gone-soon', password)).toEqual(account)
    // whatever the case the name is typed in, as an account's is found whatever the case
    expect(await login(conn, 'NOBODY-else', 'x', meta, T0)).toEqual(wrong(4))
    expect(await login(conn, 'nobody-ELSE', 'x', meta, T0)).toEqual(wrong(3))
  })
})
