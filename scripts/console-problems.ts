/**
 * What a field error key (`validation.…`) of the account services means, for the console
 * commands (user:create, user:password, user:role, user:id-number): said in the console's own
 * terms where it has them (an option to add rather than a field to fill), else the portal's own
 * English message, the one its pages show (i18n/locales/en/validation.json), else the key.
 */
import { readFileSync } from 'node:fs'
import { STAFF_ROLES } from '../server/services/staff-accounts'

type Messages = { [key: string]: string | Messages }

const ENGLISH = (JSON.parse(readFileSync(new URL('../i18n/locales/en/validation.json', import.meta.url), 'utf8')) as { validation: Messages }).validation

const CONSOLE_TERMS: Record<string, string> = {
  'validation.password.tooShort': 'the password is shorter than 12 characters',
  'validation.password.tooLong': 'the password is longer than 128 characters',
  'validation.password.common': 'the password is one of the most common ones: choose another',
  'validation.option': `the role must be one of ${STAFF_ROLES.join(', ')}`,
  'validation.department.required': 'a clerk needs --department, the code of their department',
  'validation.department.unknown': 'no department has that code',
  'validation.department.onlyClerk': 'only a clerk belongs to a department: leave out --department',
  'validation.department.headIsClerk': 'only a clerk heads a department: --head goes with --role clerk --department <code>',
  'validation.idNumber.format': 'the ID number is not 18 characters of digits with a final digit or X',
  'validation.idNumber.region': 'the ID number starts with digits no province has (mistyped?)',
  'validation.idNumber.birthDate': 'the ID number\'s date of birth is not a real date',
  'validation.idNumber.checksum': 'the ID number\'s last character does not match the rest (mistyped?)',
}

/** The message for `key`; `own` says it in a command's terms first (its one field, say). */
export function fieldProblem(key: string, own: Record<string, string> = {}): string {
  const said = own[key] ?? CONSOLE_TERMS[key]
  if (said) return said
  const found = key.split('.').slice(1).reduce<string | Messages | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), ENGLISH)
  return typeof found === 'string' ? found : key
}
