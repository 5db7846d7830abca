import type { ApiErrorBody } from './accountForms'

/**
 * What to say when the server will not take another try yet: the account locked until a time
 * (wrong passwords, on signing in or wherever the password is asked again), or too many tries
 * from this address.
 */
export function useRetryMessages() {
  const { t } = useI18n()
  const { clock } = useDateFormat()
  return {
    locked: (retryAt: string) => t('account.login.locked', { time: clock(retryAt) }),
    tooManyFromAddress: (body: ApiErrorBody) => {
      const seconds = body.data?.retryAfterSeconds ?? 60
      return t('account.login.tooManyFromAddress', { n: seconds }, seconds)
    },
  }
}
