/** What may reach a log line: ID and mobile numbers masked, and the line kept short. */
import { maskIdNumber, maskMobile } from '../../shared/utils/mask'

const ID_NUMBER = /(?<![0-9])\d{17}[\dXx](?![0-9A-Za-z])|(?<![0-9])\d{15}(?![0-9])/g
const MOBILE = /(?<![0-9])1[3-9]\d{9}(?![0-9])/g

/** Masks ID and mobile numbers and keeps a line short. */
export function redactForLog(text: string, max = 300): string {
  return Array.from(text.replace(ID_NUMBER, s => maskIdNumber(s)).replace(MOBILE, s => maskMobile(s))).slice(0, max).join('')
}
