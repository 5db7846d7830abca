/**
 * A citizen reading a guide on a phone taps the consultation or complaint number and the dialer
 * opens with it: the link's address holds the number's digits (and hyphens) as the guide shows
 * them, never a space, and an extension waits for the call to connect.
 */
import { describe, expect, it } from 'vitest'
import { isValidPhone } from '../../shared/utils/guide-schema'
import { telHref } from '../../shared/utils/phone-link'

describe('a guide\'s phone number as a link to call', () => {
  it('dials each kind of number a guide may give, as shown', () => {
    expect(telHref('0755-83333000')).toBe('tel:0755-83333000')
    expect(telHref('075583333000')).toBe('tel:075583333000')
    expect(telHref('12345')).toBe('tel:12345')
    expect(telHref('95518')).toBe('tel:95518')
    expect(telHref('400-123-4567')).toBe('tel:400-123-4567')
    expect(telHref('13812345678')).toBe('tel:13812345678')
  })

  it('sends an extension after a pause, not as more digits of the number', () => {
    expect(telHref('0755-83333000-123')).toBe('tel:0755-83333000,123')
  })

  it('never puts a space or another stray character into the address', () => {
    expect(telHref(' 0755 8333 3000 ')).toBe('tel:075583333000')
    expect(telHref('0755-83333000\u200B')).toBe('tel:0755-83333000')
  })

  it('gives every number the guide editor accepts an address of digits, hyphens and at most one pause', () => {
    for (const phone of ['0755-83333000', '020-12345678-6', '12345', '12315', '95566', '400-800-1234', '800-123-4567', '13912340000']) {
      expect(isValidPhone(phone)).toBe(true)
      expect(telHref(phone)).toMatch(/^tel:\d[\d-]*(?:,\d+)?$/)
    }
  })
})
