import { z } from 'zod'
import { LARGE_TEXT_COOKIE } from '../../../shared/utils/large-text'

const Query = z.object({
  on: single.pipe(z.enum(['0', '1'], { error: 'validation.option' })),
  back: single.max(2000, 'validation.tooLong').optional(),
})

/** A path of this site to go back to: not `//host`, `/\host` or anything with control characters. */
// eslint-disable-next-line no-control-regex -- control characters have no place in a path
const SITE_PATH = /^\/(?![/\\])[^\u0000-\u001F\u007F]*$/

/**
 * The large-text switch (适老化) without JavaScript, or before the page's JavaScript has loaded:
 * sets the cookie the page reads (composables/useLargeText.ts, as sent: '1' or '0') and sends
 * the person back to the page they were on. With JavaScript the layout's switch sets the cookie
 * itself and never comes here.
 */
export default defineApiHandler('public', (event) => {
  const { on, back } = parseQuery(event, Query)
  setCookie(event, LARGE_TEXT_COOKIE, on, { sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365, encode: v => v })
  // a hand-made link may carry its query unencoded (?q=社保): a Location header takes ASCII only
  const to = back && SITE_PATH.test(back) ? back.replace(/[^\x21-\x7E]/gu, c => encodeURIComponent(c)) : '/'
  return sendRedirect(event, to, 303)
})
