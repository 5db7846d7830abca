/**
 * The large-text mode's cookie: written by the page (composables/useLargeText.ts), read by the
 * server-side render and by the public page cache, whose key it is part of.
 */
export const LARGE_TEXT_COOKIE = 'large_text'
