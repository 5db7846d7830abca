/**
 * The SMS a test server has queued, read from its database the way the person reads their phone:
 * the outbox row is where the code of a password reset, or of a mobile verification, is, and nowhere else.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'

export interface QueuedSms { template: string, params: Record<string, string | number> }

/** Every SMS queued to `mobile`, oldest first. */
export function smsTo(dataDir: string, mobile: string): QueuedSms[] {
  const db = new Database(join(dataDir, 'portal.db'), { readonly: true })
  try {
    return (db.prepare(`SELECT template, params FROM outbox WHERE channel = 'sms' AND recipient = ? ORDER BY id`).all(mobile) as { template: string, params: string }[])
      .map(r => ({ template: r.template, params: JSON.parse(r.params) as QueuedSms['params'] }))
  }
  finally { db.close() }
}

/** The code in the newest password-reset SMS to `mobile`; throws when none was sent. */
export function latestResetCode(dataDir: string, mobile: string): string {
  const sms = smsTo(dataDir, mobile).filter(s => s.template === 'account.passwordReset').at(-1)
  if (!sms) throw new Error('no password-reset SMS was queued to that mobile')
  return String(sms.params.code)
}

/** The code in the newest mobile-verification SMS to `mobile`; throws when none was sent. */
export function latestMobileCode(dataDir: string, mobile: string): string {
  const sms = smsTo(dataDir, mobile).filter(s => s.template === 'account.mobileVerify').at(-1)
  if (!sms) throw new Error('no mobile-verification SMS was queued to that mobile')
  return String(sms.params.code)
}
