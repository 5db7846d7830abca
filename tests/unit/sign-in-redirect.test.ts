/**
 * Where signing in returns to: the page the person was sent from, in the language the sign-in page
 * is in now (sent from a Chinese form, switched to English on the way), and never another site.
 */
import { describe, expect, it } from 'vitest'
import { inLanguage, safeRedirect } from '../../composables/accountForms'

describe('the page signing in returns to', () => {
  it('is in the sign-in page\'s language, whichever language sent the person there', () => {
    expect(inLanguage('/services/SZRS-0011/apply?draft=x#field-a', 'en')).toBe('/en/services/SZRS-0011/apply?draft=x#field-a')
    expect(inLanguage('/en/services/SZRS-0011/apply', 'zh')).toBe('/services/SZRS-0011/apply')
    expect(inLanguage('/en/services', 'en')).toBe('/en/services')
    expect(inLanguage('/', 'en')).toBe('/en')
    expect(inLanguage('/en', 'zh')).toBe('/')
    expect(inLanguage('/en?x=1', 'en')).toBe('/en?x=1')
    // a path that merely starts with "en" is not the English prefix
    expect(inLanguage('/entry', 'en')).toBe('/en/entry')
    expect(inLanguage('/entry', 'zh')).toBe('/entry')
  })

  it('is a path of this site only', () => {
    expect(safeRedirect('//evil.example/x')).toBeNull()
    expect(safeRedirect('/\\evil.example')).toBeNull()
    expect(safeRedirect('https://evil.example')).toBeNull()
    expect(safeRedirect('/me')).toBe('/me')
  })
})
