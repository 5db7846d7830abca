/** 适老化 large-text mode, remembered in a cookie so the server renders it without a flash. */
export function useLargeText() {
  // Raw '1'/'0' rather than JSON, so the value reads the same however the cookie was written.
  const cookie = useCookie<string>(LARGE_TEXT_COOKIE, { sameSite: 'lax', maxAge: 60 * 60 * 24 * 365, default: () => '0', encode: (v: string | null | undefined) => v ?? '0', decode: (v: string) => v })
  const largeText = computed(() => cookie.value === '1')
  const toggleLargeText = () => { cookie.value = largeText.value ? '0' : '1' }
  // the body text's size in px as assets/css/main.css sets it, for text CSS cannot reach (a chart's canvas)
  const bodyFontSize = computed(() => (largeText.value ? 20 : 16))
  return { largeText, toggleLargeText, bodyFontSize }
}
