/**
 * When a write in the rating area fails, the person reads what happened: a colleague asked for the
 * rating first, the rectification was answered already, the case was rated elsewhere; anything
 * else was not saved. Never "loading failed, reload the page": the page loaded, the write did not
 * go through. And "label: message" is written with the language's own colon (text.labelled).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ratingPromptError, ratingSaveError, rectificationAnswerError, statusOfFetch } from '../../composables/useResultWriteErrors'

/** What ofetch throws for an HTTP error answer. */
const fetchError = (statusCode: number) => Object.assign(new Error(`[POST] ${statusCode}`), { statusCode, status: statusCode })
const offline = new TypeError('fetch failed')

type Messages = { [key: string]: string | Messages }
function message(locale: string, key: string): string | undefined {
  const [domain] = key.split('.')
  const file = join('i18n/locales', locale, `${domain}.json`)
  let node: string | Messages | undefined = JSON.parse(readFileSync(file, 'utf8')) as Messages
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined
  return typeof node === 'string' ? node : undefined
}

describe('a rating the applicant could not submit', () => {
  it('says it was rated already only when the case now has a rating', () => {
    expect(ratingSaveError(fetchError(409), { rating: { score: 5 } })).toBe('result.rating.alreadyRated')
    expect(ratingSaveError(fetchError(409), { rating: null })).toBe('result.rating.notRatableNow')
  })

  it('says it was not saved for anything else, never that loading failed', () => {
    for (const e of [fetchError(500), fetchError(404), fetchError(429), offline]) expect(ratingSaveError(e, null)).toBe('result.common.saveFailed')
    expect(ratingSaveError(fetchError(409), null)).toBe('result.common.saveFailed')
  })
})

describe('an invitation to rate the clerk could not send', () => {
  it('tells apart a colleague\'s invitation, a rating given meanwhile, and a case that cannot be rated', () => {
    expect(ratingPromptError(fetchError(409), { rating: null, promptedAt: '2026-03-02T02:00:00Z' })).toBe('result.rating.promptAlreadySent')
    expect(ratingPromptError(fetchError(409), { rating: { score: 1 }, promptedAt: null })).toBe('result.rating.promptAlreadyRated')
    expect(ratingPromptError(fetchError(409), { rating: null, promptedAt: null })).toBe('result.rating.promptUnavailable')
  })

  it('says it was not sent for anything else', () => {
    for (const e of [fetchError(500), fetchError(404), offline]) expect(ratingPromptError(e, null)).toBe('result.rating.promptFailed')
  })
})

describe('an answer to a rectification the clerk could not save', () => {
  it('shows the server\'s field error, then "already answered" for a 409, then "not saved"', () => {
    expect(rectificationAnswerError(fetchError(400), { answer: 'validation.tooLong' })).toBe('validation.tooLong')
    expect(rectificationAnswerError(fetchError(409), null)).toBe('result.rectification.alreadyAnswered')
    for (const e of [fetchError(500), fetchError(404), offline]) expect(rectificationAnswerError(e, null)).toBe('result.common.saveFailed')
  })
})

describe('a write refused because the session ended (401)', () => {
  it('says the session ended, never "try again later", for a rating, an invitation and an answer', () => {
    expect(ratingSaveError(fetchError(401), null)).toBe('result.common.signedOut')
    expect(ratingPromptError(fetchError(401), null)).toBe('result.rating.promptSignedOut')
    expect(rectificationAnswerError(fetchError(401), null)).toBe('result.common.signedOut')
    for (const key of ['result.common.signedOut', 'result.rating.promptSignedOut']) {
      expect(message('zh', key), key).toContain('您的登录已结束')
      expect(message('zh', key), key).not.toContain('稍后')
      expect(message('en', key), key).toContain('your session has ended')
      expect(message('en', key), key).not.toContain('later')
    }
  })
})

describe('the messages', () => {
  it('exist in Chinese and English', () => {
    const keys = ['result.rating.alreadyRated', 'result.rating.notRatableNow', 'result.common.saveFailed', 'result.rating.promptAlreadySent',
      'result.rating.promptAlreadyRated', 'result.rating.promptUnavailable', 'result.rating.promptFailed', 'result.rectification.alreadyAnswered',
      'result.common.signedOut', 'result.rating.promptSignedOut']
    for (const key of keys) {
      expect(message('zh', key), key).toMatch(/\p{Script=Han}/u)
      expect(message('en', key), key).toMatch(/^[\x20-\x7E]+$/)
    }
  })

  it('reads the status of what $fetch throws', () => {
    expect(statusOfFetch(fetchError(409))).toBe(409)
    expect(statusOfFetch(offline)).toBeNull()
    expect(statusOfFetch(null)).toBeNull()
  })
})

describe('the rating and e-licence pages', () => {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap(e => e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.vue') ? [join(dir, e.name)] : [])
  const sources = ['components/Result', 'pages/verify', 'pages/me/results'].flatMap(files).map(f => [f, readFileSync(f, 'utf8')] as const)

  it('join a label and its message with the language\'s colon, never a hard-coded half-width one', () => {
    // `${label}: ${message}` in script, {{ label }}: {{ value }} in a template
    const offenders = sources.filter(([, s]) => /\}: \$\{|\}\}\s*:\s*\{\{/.test(s)).map(([f]) => f)
    expect(offenders).toEqual([])
  })

  it('never say "loading failed" for a failed write', () => {
    for (const [file, fn] of [['components/Result/RatingForm.vue', 'ratingSaveError'], ['components/Result/RatingPanel.vue', 'ratingPromptError'], ['components/Result/RectificationAnswer.vue', 'rectificationAnswerError']]) {
      const source = readFileSync(file!, 'utf8')
      const script = source.slice(0, source.indexOf('</script>'))
      expect(script, file).toContain(fn)
      expect(script, file).not.toContain('result.common.loadFailed')
    }
  })
})
