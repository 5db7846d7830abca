/**
 * The item an item page (`/manage/catalogue/[code]`, its form builder) is about, read by the
 * route's code. An unknown code is the 404 error page; any other failure stays in `error`, for
 * the page to say with ManageItemLoadFailed under the code.
 */
export async function useRoutedManagedService() {
  const route = useRoute()
  const code = computed(() => String(route.params.code))
  const fetched = await useManagedService(code)
  if (fetched.error.value?.statusCode === 404) throw createError({ statusCode: 404, statusMessage: 'Not Found', fatal: true })
  return { code, ...fetched }
}
