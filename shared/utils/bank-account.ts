/**
 * Bank card and account numbers (银行卡号, 银行账号), into which subsidies and refunds are paid:
 * 12 to 19 digits. A card number has up to 19 (ISO/IEC 7812); an account that is not a card's may
 * be shorter (a company's settlement account at 招商银行 can have 12). No Luhn check: account
 * numbers that are not card numbers carry no Luhn digit, and refusing them would refuse real ones.
 */

export type BankAccountProblem = 'format' | 'length'

export const BANK_ACCOUNT_DIGITS = { min: 12, max: 19 } as const

/**
 * The form stored and compared everywhere: full-width digits from a Chinese input method folded to
 * ASCII (NFKC), and the spaces between the groups dropped (6222 0212 3456 7890 123, as printed on
 * a card), with the invisible marks that hide among them (a zero-width space, a direction mark
 * pasted from a banking app). What is left is judged by bankAccountProblem.
 */
export function normalizeBankAccount(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '')
}

/**
 * Why a bank card or account number is not one, or null: 'format' for anything but digits,
 * 'length' for digits fewer than 12 or more than 19. Normalises first (normalizeBankAccount).
 */
export function bankAccountProblem(s: string): BankAccountProblem | null {
  if (typeof s !== 'string') return 'format'
  const digits = normalizeBankAccount(s)
  if (!/^\d+$/.test(digits)) return 'format'
  return digits.length < BANK_ACCOUNT_DIGITS.min || digits.length > BANK_ACCOUNT_DIGITS.max ? 'length' : null
}
