import type { Department, ServiceGuide, ServiceSummary } from '~~/shared/types/catalogue'
import type { Page } from '~~/shared/utils/query'

export interface ThemeListItem { code: string, audience: 'person' | 'organization', nameZh: string, nameEn: string, serviceCount: number }

export function useDepartments() {
  return useFetch<(Department & { serviceCount: number })[]>('/api/departments', { key: 'departments' })
}

export function useThemes() {
  return useFetch<ThemeListItem[]>('/api/themes', { key: 'themes' })
}

export function useServiceSearch(query: Ref<Record<string, string | undefined>>) {
  return useFetch<Page<ServiceSummary>>('/api/services', { query, key: computed(() => `services:${JSON.stringify(query.value)}`) })
}

export function useServiceGuide(code: Ref<string>) {
  return useFetch<ServiceGuide>(() => `/api/services/${encodeURIComponent(code.value)}`, { key: computed(() => `guide:${code.value}`) })
}

/** Picks the name in the page's language from data that carries both. */
export function useLocalName() {
  const { locale } = useI18n()
  return (zh: string, en: string) => (locale.value === 'en' && en ? en : zh)
}
