import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { LOCK_MS, login, MAX_FAILED_LOGINS } from '../../server/services/accounts'
import { changePassword, CHECKS_PER_ACCOUNT } from '../../server/services/own-password'
import { confirmPasswordReset, requestPasswordReset } from '../../server/services/password-reset'
import { HashingBusy, MAX_CONCURRENT_HASHES, MAX_WAITING_HASHES, passwordHashing } from '../../server/services/passwords'
import { exportPersonalData } from '../../server/services/personal-data'
import { registerPerson } from '../../server/services/registration'
import { findSessionUser } from '../../server/services/sessions'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { demoPerson, syntheticIdNumber } from '../support/fixtures'
import { freshDatabase } from '../support/db'

// many sign-ins each: room for a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const meta = { ip: '192.0.2.1', userAgent: 'test' }

describe('a person who forgets their password', () => {
  it('is locked out after five wrong passwords, even with the right one, until 15 minutes have passed', async () => {
    const conn = freshDatabase()
    const t0 = new Date('2026-03-02T02:00:00Z')
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
      expect(await login(conn, 'citizen', 'not-my-password', meta, t0)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: MAX_FAILED_LOGINS - i })
    }
    const fifth = await login(conn, 'citizen', 'not-my-password', meta, t0)
    expect(fifth).toEqual({ ok: false, reason: 'locked', retryAt: new Date(t0.getTime() + LOCK_MS).toISOString(), justLocked: true })

    const withRightPassword = await login(conn, 'citizen', DEMO_PASSWORD, meta, new Date(t0.getTime() + LOCK_MS - 1000))
    expect(withRightPassword).toMatchObject({ ok: false, reason: 'locked' })

    const later = await login(conn, 'citizen', DEMO_PASSWORD, meta, new Date(t0.getTime() + LOCK_MS + 1000))
    expect(later.ok).toBe(true)
  })

  it('stays locked when many wrong guesses arrive at once, and the right password then waits too', async () => {
    const conn = freshDatabase()
    const t0 = new Date('2026-03-02T02:00:00Z')
    // all of them hash their password before any of them writes, as requests in flight together do
    // (as many as the hashing takes at once, running and waiting)
    const inFlight = MAX_CONCURRENT_HASHES + MAX_WAITING_HASHES
    const results = await Promise.all(Array.from({ length: inFlight }, () => login(conn, 'citizen', 'not-my-password', meta, t0)))
    expect(results.filter(r => !r.ok && r.reason === 'locked').length).toBe(inFlight - (MAX_FAILED_LOGINS - 1))
    expect(await login(conn, 'citizen', DEMO_PASSWORD, meta, new Date(t0.getTime() + 60_000))).toMatchObject({ ok: false, reason: 'locked' })
    const row = conn.sqlite.prepare(`SELECT locked_until AS lockedUntil FROM users WHERE username = 'citizen'`).get() as { lockedUntil: string }
    expect(row.lockedUntil).toBe(new Date(t0.getTime() + LOCK_MS).toISOString())
  })

  it('counts wrong current passwords in a password change towards the same lock', async () => {
    const conn = freshDatabase()
    const signedIn = await login(conn, 'citizen2', DEMO_PASSWORD, meta)
    if (!signedIn.ok) throw new Error('expected a sign-in')
    const me = findSessionUser(conn, signedIn.token)!
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) expect(await changePassword(conn, me, 'a guess at it', 'a new long passphrase 2026')).toEqual({ ok: false, reason: 'wrong' })
    expect(await changePassword(conn, me, 'a guess at it', 'a new long passphrase 2026')).toMatchObject({ ok: false, reason: 'locked' })
    expect(await changePassword(conn, me, DEMO_PASSWORD, 'a new long passphrase 2026')).toMatchObject({ ok: false, reason: 'locked' })
    expect(await login(conn, 'citizen2', DEMO_PASSWORD, meta)).toMatchObject({ ok: false, reason: 'locked' })
  })

  it('records the password re-entered on a locked account as a refused sign-in is recorded', async () => {
    const conn = freshDatabase()
    const signedIn = await login(conn, 'citizen2', DEMO_PASSWORD, meta)
    if (!signedIn.ok) throw new Error('expected a sign-in')
    const me = findSessionUser(conn, signedIn.token)!
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login(conn, 'citizen2', 'not-my-password', { ...meta, ip: '198.51.100.7' })
    const lockedRows = () => conn.sqlite.prepare(`SELECT actor_id AS actorId, actor_role AS actorRole, ip FROM audit_log
      WHERE action = 'auth.login.locked' ORDER BY id`).all()
    expect(lockedRows()).toEqual([])

    // the right password, from the signed-in session: refused, and the attempt is on record
    expect(await changePassword(conn, me, DEMO_PASSWORD, 'a new long passphrase 2026', { ip: meta.ip })).toMatchObject({ ok: false, reason: 'locked' })
    expect(await exportPersonalData(conn, me, DEMO_PASSWORD, meta.ip)).toMatchObject({ ok: false, reason: 'locked' })
    const row = { actorId: me.id, actorRole: 'citizen', ip: meta.ip }
    expect(lockedRows()).toEqual([row, row])
    // the same row a sign-in on the locked account leaves
    expect(await login(conn, 'citizen2', DEMO_PASSWORD, meta)).toMatchObject({ ok: false, reason: 'locked' })
    expect(lockedRows()).toEqual([row, row, row])
  })

  it('starts counting again after a successful sign-in', async () => {
    const conn = freshDatabase()
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) await login(conn, 'citizen2', 'wrong-password-x', meta)
    expect((await login(conn, 'citizen2', DEMO_PASSWORD, meta)).ok).toBe(true)
    expect(await login(conn, 'citizen2', 'wrong-password-x', meta)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
  })

  it('signs in whatever the case of the username, and the token finds the person', async () => {
    const conn = freshDatabase()
    const result = await login(conn, 'CITIZEN', DEMO_PASSWORD, meta)
    if (!result.ok) throw new Error('expected a sign-in')
    expect(findSessionUser(conn, result.token)?.username).toBe('citizen')
  })

  it('locks a name that is no account\'s after five wrong sign-ins, exactly as an account: the lock tells nothing', async () => {
    const conn = freshDatabase()
    const t0 = new Date('2026-03-02T02:00:00Z')
    const answers = async (username: string, at: Date) => {
      const out = []
      for (let i = 0; i <= MAX_FAILED_LOGINS; i++) out.push(await login(conn, username, 'not-my-password', meta, at))
      return out
    }
    const forAnAccount = await answers('citizen', t0)
    expect(forAnAccount[MAX_FAILED_LOGINS - 1]).toMatchObject({ reason: 'locked', justLocked: true })
    // the password typed into the name field, as people do: counted under a key, not kept as typed
    expect(await answers('Not-My-Password-2026', t0)).toEqual(forAnAccount)
    const keys = conn.sqlite.prepare('SELECT name_key FROM unknown_name_logins').pluck().all() as string[]
    expect(keys).toHaveLength(1)
    expect(keys[0]).not.toMatch(/password/i)
    // and after the same 15 minutes, the same 'wrong' again
    const later = new Date(t0.getTime() + LOCK_MS + 1000)
    expect(await login(conn, 'Not-My-Password-2026', DEMO_PASSWORD, meta, later)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    // a day later the name's row is gone with the others left alone that long
    await login(conn, 'someone-else', 'x', meta, new Date(later.getTime() + 25 * 60 * 60 * 1000))
    expect(conn.sqlite.prepare('SELECT count(*) FROM unknown_name_logins').pluck().get()).toBe(1)
  })

  it('gives an unknown user the same answer as a wrong password and records the failure', async () => {
    const conn = freshDatabase()
    expect(await login(conn, 'nobody-here', DEMO_PASSWORD, meta)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    const row = conn.sqlite.prepare('SELECT action, actor_id AS actorId FROM audit_log ORDER BY id DESC LIMIT 1').get()
    expect(row).toEqual({ action: 'auth.login.failed', actorId: null })
  })
})

/**
 * Takes every place of the server's hashing, running and waiting, with work the test finishes when
 * it calls the returned function: what a flood of wrong sign-ins from many addresses does.
 */
function floodHashing(): () => Promise<void> {
  let finish!: () => void
  const held = new Promise<void>((resolve) => { finish = resolve })
  const holders = Array.from({ length: MAX_CONCURRENT_HASHES + MAX_WAITING_HASHES }, () => passwordHashing.run(() => held))
  return async () => {
    finish()
    await Promise.all(holders)
  }
}

const failedLogins = (conn: Connection, username: string) => conn.sqlite.prepare('SELECT failed_logins FROM users WHERE username = ?').pluck().get(username)
const auditCount = (conn: Connection, action: string) => conn.sqlite.prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action)

describe('while the server is hashing as many passwords as it may', () => {
  it('refuses a sign-in at once as busy, known user or not, and never counts it as a wrong password', async () => {
    const conn = freshDatabase()
    const release = floodHashing()
    try {
      // more refusals than the lock needs: a flood must not lock the person out
      for (let i = 0; i < MAX_FAILED_LOGINS + 1; i++) await expect(login(conn, 'citizen', 'not-my-password', meta)).rejects.toBeInstanceOf(HashingBusy)
      await expect(login(conn, 'citizen', DEMO_PASSWORD, meta)).rejects.toBeInstanceOf(HashingBusy)
      await expect(login(conn, 'nobody-here', 'not-my-password', meta)).rejects.toBeInstanceOf(HashingBusy)
    }
    finally { await release() }
    expect(failedLogins(conn, 'citizen')).toBe(0)
    expect(auditCount(conn, 'auth.login.failed')).toBe(0)
    expect(await login(conn, 'citizen', DEMO_PASSWORD, meta)).toMatchObject({ ok: true })
  })

  it('refuses a password change, a registration and a reset as busy, and none of them changes anything', async () => {
    const conn = freshDatabase()
    const signedIn = await login(conn, 'citizen', DEMO_PASSWORD, meta)
    if (!signedIn.ok) throw new Error('expected a sign-in')
    const me = findSessionUser(conn, signedIn.token)!
    const person = demoPerson('citizen')
    expect(requestPasswordReset(conn, person, meta.ip)).toBe('sent')
    const sms = conn.sqlite.prepare(`SELECT params FROM outbox WHERE template = 'account.passwordReset' ORDER BY id DESC`).pluck().get() as string
    const code = String((JSON.parse(sms) as { code: string }).code)
    const users = () => conn.sqlite.prepare('SELECT count(*) FROM users').pluck().get()
    const before = users()

    const release = floodHashing()
    try {
      await expect(changePassword(conn, me, 'a guess at it', 'a new long passphrase 2026', { ip: meta.ip })).rejects.toBeInstanceOf(HashingBusy)
      await expect(registerPerson(conn, { username: 'newcomer', password: 'a long sentence for me', name: '张三', idNumber: syntheticIdNumber(4321), mobile: '13700137000' }, meta)).rejects.toBeInstanceOf(HashingBusy)
      await expect(confirmPasswordReset(conn, { ...person, code, newPassword: 'a fresh sentence I will remember' }, meta.ip)).rejects.toBeInstanceOf(HashingBusy)
    }
    finally { await release() }
    expect(failedLogins(conn, 'citizen')).toBe(0)
    expect(auditCount(conn, 'account.password.failed')).toBe(0)
    expect(users()).toBe(before)
    // the code is still good, and the password is still the old one until it is used
    expect(await login(conn, 'citizen', DEMO_PASSWORD, meta)).toMatchObject({ ok: true })
    expect(await confirmPasswordReset(conn, { ...person, code, newPassword: 'a fresh sentence I will remember' }, meta.ip)).toMatchObject({ ok: true })
  })
})

describe('one account asking for its own password again and again', () => {
  it('holds at most two places at the hashing gate, so others still sign in', async () => {
    const conn = freshDatabase()
    const signedIn = await login(conn, 'citizen', DEMO_PASSWORD, meta)
    if (!signedIn.ok) throw new Error('expected a sign-in')
    const me = findSessionUser(conn, signedIn.token)!
    // ten copies of one's data asked for at once, each with the right password
    const asked = Array.from({ length: 10 }, () => exportPersonalData(conn, me, DEMO_PASSWORD, meta.ip).then(r => r.ok, e => e))
    // meanwhile someone else signs in: not refused as busy
    expect(await login(conn, 'citizen2', DEMO_PASSWORD, meta)).toMatchObject({ ok: true })
    const outcomes = await Promise.all(asked)
    expect(outcomes.filter(o => o === true)).toHaveLength(CHECKS_PER_ACCOUNT)
    expect(outcomes.filter(o => o instanceof HashingBusy)).toHaveLength(10 - CHECKS_PER_ACCOUNT)
    // once they are done, the account checks again
    expect((await exportPersonalData(conn, me, DEMO_PASSWORD, meta.ip)).ok).toBe(true)
  })
})
