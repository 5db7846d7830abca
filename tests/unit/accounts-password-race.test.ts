/**
 * The old password stops working the moment a password change commits. A password is checked
 * outside the write lock (scrypt takes about half a second), so a sign-in, a data export or an
 * account closure with the old password can be mid-check when the change commits; it must then be
 * refused, not finish after the change with a fresh session, a copy of the data or a closed account.
 *
 * The order is set, not timed: the next password check is held once its hash is computed, the
 * change runs to its end, and only then does the held request go on to its write transaction.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { Connection } from '../../db/client'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { login } from '../../server/services/accounts'
import { changePassword } from '../../server/services/own-password'
import { closeAccount, exportPersonalData } from '../../server/services/personal-data'
import { findSessionUser, listActiveSessions } from '../../server/services/sessions'
import { freshDatabase } from '../support/db'

// many sign-ins each: room for a busy two-core machine
vi.setConfig({ testTimeout: 60_000 })

const gate = vi.hoisted(() => ({ next: null as null | { checked: (matches: boolean) => void, release: Promise<void> } }))

vi.mock('../../server/services/passwords', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../server/services/passwords')>()
  return {
    ...actual,
    verifyPassword: async (password: string, stored: string): Promise<boolean> => {
      const held = gate.next
      gate.next = null
      const matches = await actual.verifyPassword(password, stored)
      if (held) {
        held.checked(matches)
        await held.release
      }
      return matches
    },
  }
})

/**
 * Holds the next password check once its hash is computed: `checked` resolves with whether the
 * password matched the hash it was checked against, and the request waits until `release()`.
 */
function holdNextCheck(): { checked: Promise<boolean>, release: () => void } {
  let release!: () => void
  let checked!: (matches: boolean) => void
  const released = new Promise<void>((resolve) => { release = resolve })
  const done = new Promise<boolean>((resolve) => { checked = resolve })
  gate.next = { checked, release: released }
  return { checked: done, release }
}

process.env.UPLOAD_DIR ??= mkdtempSync(join(tmpdir(), 'password-race-'))

const meta = { ip: '192.0.2.1', userAgent: 'test' }
const NEW_PASSWORD = 'a new long passphrase 2026'

/** citizen2 signed in on a laptop, from which the password is changed. */
async function signedIn(conn: Connection) {
  const laptop = await login(conn, 'citizen2', DEMO_PASSWORD, meta)
  if (!laptop.ok) throw new Error('expected a sign-in')
  return { token: laptop.token, me: findSessionUser(conn, laptop.token)! }
}

const actions = (conn: Connection, userId: number) => (conn.sqlite.prepare('SELECT action FROM audit_log WHERE actor_id = ? ORDER BY id').all(userId) as { action: string }[]).map(r => r.action)

describe('the old password after a password change', () => {
  it('signs in while nothing changes during its check (the hold itself refuses nothing)', async () => {
    const conn = freshDatabase()
    const held = holdNextCheck()
    const pending = login(conn, 'citizen2', DEMO_PASSWORD, meta)
    expect(await held.checked).toBe(true)
    held.release()
    expect((await pending).ok).toBe(true)
  })

  it('does not sign in when the change commits while the old password is being checked', async () => {
    const conn = freshDatabase()
    const { token, me } = await signedIn(conn)
    const held = holdNextCheck()
    const pending = login(conn, 'citizen2', DEMO_PASSWORD, { ...meta, userAgent: 'the thief' })
    expect(await held.checked).toBe(true)
    const changed = await changePassword(conn, me, DEMO_PASSWORD, NEW_PASSWORD, meta)
    expect(changed).toEqual({ ok: true, endedSessions: 0, token: expect.any(String) })
    held.release()

    expect(await pending).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    // only the session that made the change is open, under its new token
    expect(listActiveSessions(conn, me.id).map(s => s.userAgent)).toEqual(['test'])
    expect(findSessionUser(conn, token)).toBeNull()
    if (changed.ok) expect(findSessionUser(conn, changed.token)?.username).toBe('citizen2')
    expect(actions(conn, me.id).slice(-2)).toEqual(['account.password.change', 'auth.login.failed'])
    expect((await login(conn, 'citizen2', NEW_PASSWORD, meta)).ok).toBe(true)
  })

  it('does not export the data when the change commits while the old password is being checked', async () => {
    const conn = freshDatabase()
    const { me } = await signedIn(conn)
    const held = holdNextCheck()
    const pending = exportPersonalData(conn, me, DEMO_PASSWORD, meta.ip)
    expect(await held.checked).toBe(true)
    expect((await changePassword(conn, me, DEMO_PASSWORD, NEW_PASSWORD, { ip: meta.ip })).ok).toBe(true)
    held.release()

    expect(await pending).toEqual({ ok: false, reason: 'wrong' })
    expect(actions(conn, me.id)).not.toContain('account.export')
    expect(actions(conn, me.id).at(-1)).toBe('account.export.failed')
    expect((await exportPersonalData(conn, me, NEW_PASSWORD, meta.ip)).ok).toBe(true)
  })

  it('does not close the account when the change commits while the old password is being checked', async () => {
    const conn = freshDatabase()
    const { token, me } = await signedIn(conn)
    const held = holdNextCheck()
    const pending = closeAccount(conn, me, DEMO_PASSWORD, meta.ip)
    expect(await held.checked).toBe(true)
    const changed = await changePassword(conn, me, DEMO_PASSWORD, NEW_PASSWORD, meta)
    if (!changed.ok) throw new Error('expected a change')
    held.release()

    expect(await pending).toEqual({ ok: false, reason: 'wrong' })
    const row = conn.sqlite.prepare('SELECT closed_at AS closedAt, name FROM users WHERE id = ?').get(me.id)
    expect(row).toEqual({ closedAt: null, name: '李慧芳' })
    // the device that changed it goes on under its new token; the old one ended with the change
    expect(findSessionUser(conn, token)).toBeNull()
    expect(findSessionUser(conn, changed.token)?.username).toBe('citizen2')
    expect(actions(conn, me.id).at(-1)).toBe('account.close.failed')
  })

  it('cannot be changed a second time by a change checked against it before the first committed', async () => {
    const conn = freshDatabase()
    const owner = await signedIn(conn)
    const thief = await signedIn(conn)
    const held = holdNextCheck()
    const pending = changePassword(conn, thief.me, DEMO_PASSWORD, 'the thief chose this one', meta)
    expect(await held.checked).toBe(true)
    const changed = await changePassword(conn, owner.me, DEMO_PASSWORD, NEW_PASSWORD, meta)
    expect(changed).toEqual({ ok: true, endedSessions: 1, token: expect.any(String) })
    held.release()

    expect(await pending).toEqual({ ok: false, reason: 'wrong' })
    expect(findSessionUser(conn, thief.token)).toBeNull()
    if (changed.ok) expect(findSessionUser(conn, changed.token)?.username).toBe('citizen2')
    expect((await login(conn, 'citizen2', NEW_PASSWORD, meta)).ok).toBe(true)
    expect(await login(conn, 'citizen2', 'the thief chose this one', meta)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
  })
})
