/** 适老化 large-text mode, remembered in a cookie so the server renders it without a flash. */
export function useLargeText() {
  const cookie = useCookie<'1' | '0'>('large_text', { sameSite: 'lax', maxAge: 60 * 60 * 24 * 365, default: () => '0' })
  const largeText = computed(() => cookie.value === '1')
  const toggleLargeText = () => { cookie.value = largeText.value ? '0' : '1' }
  return { largeText, toggleLargeText }
}
