/** Telephone numbers of a guide (consultPhone, complaintPhone) as links a phone dials when tapped. */

// An extension after a landline, as isValidPhone (guide-schema.ts) allows: 0755-83333000-123
const WITH_EXTENSION = /^(0\d{2,3}-?\d{7,8})-(\d{1,6})$/

/**
 * The `tel:` address of a number as the guide writes it: its digits and hyphens as shown (the
 * hyphens only help reading; dialers skip them), nothing else, so no space or stray character
 * can break the link. An extension follows a comma, the pause Android's and iOS's dialers wait
 * with before sending the rest: written with a hyphen, its digits would be dialled on as part of
 * the number, which then does not exist.
 */
export function telHref(phone: string): string {
  const number = phone.replace(/[^\d-]/g, '')
  const ext = WITH_EXTENSION.exec(number)
  return ext ? `tel:${ext[1]},${ext[2]}` : `tel:${number}`
}
