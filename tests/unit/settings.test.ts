/** Numeric settings from the environment: the default when unset, the number when well formed, a refusal naming the variable otherwise. */
import { afterEach, describe, expect, it } from 'vitest'
import { numberSetting } from '../../server/utils/settings'

afterEach(() => { delete process.env.PORTAL_TEST_SETTING })

describe('a numeric setting', () => {
  it('is the default when unset or empty, and the number when well formed', () => {
    expect(numberSetting('PORTAL_TEST_SETTING', 30)).toBe(30)
    process.env.PORTAL_TEST_SETTING = ' '
    expect(numberSetting('PORTAL_TEST_SETTING', 30)).toBe(30)
    process.env.PORTAL_TEST_SETTING = '1000'
    expect(numberSetting('PORTAL_TEST_SETTING', 30)).toBe(1000)
    process.env.PORTAL_TEST_SETTING = '0.2'
    expect(numberSetting('PORTAL_TEST_SETTING', 5, { min: 0, whole: false })).toBe(0.2)
    process.env.PORTAL_TEST_SETTING = '0'
    expect(numberSetting('PORTAL_TEST_SETTING', 5, { min: 0, whole: false })).toBe(0)
  })

  it.each(['abc', '5s', '-1', '1e3', '0x10', 'NaN', 'Infinity', '2.5', '0'])('refuses %s as a whole number of at least 1, naming the variable', (value) => {
    process.env.PORTAL_TEST_SETTING = value
    expect(() => numberSetting('PORTAL_TEST_SETTING', 30)).toThrow(`PORTAL_TEST_SETTING: ${JSON.stringify(value)} is not a whole number of at least 1`)
  })
})
