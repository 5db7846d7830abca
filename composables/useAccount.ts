/** Data of the "my account" page: the profile and the active sessions, each under a stable key. */

export interface MyProfile {
  username: string
  role: 'citizen' | 'clerk' | 'manager' | 'admin' | 'auditor'
  name: string
  idNumberMasked: string | null
  mobileMasked: string | null
  /** whether the mobile was proved by an SMS code; counter cases reach the account only then */
  mobileVerified: boolean
  email: string | null
  department: { code: string, name: string, nameEn: string } | null
  passwordChangedAt: string | null
  organizations: { id: number, name: string, uscc: string }[]
  /** a code sent to the mobile that still works: until when, and when another may be asked (null: now) */
  mobileCodePending: { expiresAt: string, nextCodeAt: string | null } | null
}

export interface MySession { id: number, createdAt: string, lastSeenAt: string, userAgent: string | null, current: boolean }

export function useMyProfile() {
  return useFetch<MyProfile>('/api/me/profile', { key: 'me-profile' })
}

export function useMySessions() {
  return useFetch<MySession[]>('/api/me/sessions', { key: 'me-sessions' })
}
