/**
 * What the console commands that take a subject and an audited `--reason` share (user:disable,
 * user:enable, user:close; user:release-id the refusals): reading the arguments, and saying why a
 * reason was refused (server/services/staff-accounts.ts, accountReasonSchema).
 */
import { parseArgs } from 'node:util'
import { ACCOUNT_REASON_MAX } from '../server/services/staff-accounts'

const REASON_REFUSALS = {
  reasonMissing: 'the reason is empty: say why, it goes into the audit log',
  reasonTooLong: `the reason is longer than ${ACCOUNT_REASON_MAX} characters`,
  reasonControlChars: 'the reason must be one line of plain text',
  reasonPersonalData: 'the reason holds an ID or mobile number: the audit log keeps it for good, so say why without personal data',
} as const
type ReasonRefusal = keyof typeof REASON_REFUSALS

/** What to print for a refusal: a reason's own message, else the command's (`own`). */
export function refusalMessage<R extends string>(reason: R, own: (reason: Exclude<R, ReasonRefusal>) => string): string {
  return reason in REASON_REFUSALS ? REASON_REFUSALS[reason as ReasonRefusal] : own(reason as Exclude<R, ReasonRefusal>)
}

/**
 * `<subject> --reason "<why>"`: the subject and the reason, or the exit code 2 after printing
 * `usage` (with parseArgs' own message for an unknown option or --reason without a value).
 */
export function subjectAndReason(args: string[], usage: string, { reasonRequired }: { reasonRequired: boolean }): { subject: string, reason: string | undefined } | 2 {
  let parsed
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { reason: { type: 'string' } } })
  }
  catch (error) {
    console.error(`${(error as Error).message}\n${usage}`)
    return 2
  }
  const [subject, ...extra] = parsed.positionals
  if (!subject || extra.length) {
    console.error(usage)
    return 2
  }
  if (reasonRequired && parsed.values.reason === undefined) {
    console.error(`a reason is required: it goes into the audit log\n${usage}`)
    return 2
  }
  return { subject, reason: parsed.values.reason }
}
