/**
 * The words of each SMS the outbox holds (by template name and parameters), as the gateway sends
 * them. The outbox keeps the template and its parameters rather than the text, as Chinese SMS
 * gateways take them (a template is approved with the carrier once, under the sender's signature);
 * a gateway that takes plain text gets this rendering.
 *
 * In Chinese only: the portal does not know in which language a person reads (it has no setting
 * for it, and a case's SMS often goes to someone who applied at a counter), and the carriers ask
 * for the sender's signature in Chinese. The wordings sit beside this file (sms-wordings.zh.json),
 * loaded by the server only.
 */
import zh from './sms-wordings.zh.json'
import { dayText } from '../../shared/utils/date-format'

const WORDINGS: Record<string, string> = zh.sms.templates

/** Every template there are words for. */
export const SMS_TEMPLATES: readonly string[] = Object.keys(WORDINGS)

/** Parameters written as a day rather than as given (an ISO `YYYY-MM-DD`). */
const DAY_PARAMS = new Set(['deadline', 'correctionDue'])

/**
 * The SMS text of `template` with `params` filled in, the signature first. Throws on a template
 * without words, or a parameter its words name that is missing: the send then fails and is
 * retried, instead of a text with a hole in it reaching a person.
 */
export function smsText(template: string, params: Record<string, string | number>): string {
  const wording = WORDINGS[template]
  if (wording === undefined) throw new Error(`no SMS wording for the template ${template}`)
  return zh.sms.signature + wording.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`the SMS ${template} lacks its parameter ${name}`)
    return DAY_PARAMS.has(name) ? dayText(String(value), 'zh') : String(value)
  })
}
