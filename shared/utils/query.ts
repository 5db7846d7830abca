import { z } from 'zod'
import { CONTROL_CHARS } from './validators'

/** A query parameter given once; repeated parameters (?a=1&a=2) are malformed. */
export const single = z.string({ error: 'validation.query.single' })

/** `page` from 1 and `pageSize` from 1 to 100, as whole numbers written in decimal. */
export const paginationSchema = z.object({
  page: single.regex(/^[1-9]\d{0,6}$/, 'validation.query.page').transform(Number).optional().default(1),
  pageSize: single.regex(/^\d{1,3}$/, 'validation.query.pageSize').transform(Number)
    .refine(n => n >= 1 && n <= 100, 'validation.query.pageSize').optional().default(20),
})

/**
 * Words to search the catalogue for: at most 50 characters and no control characters (a NUL cut
 * the LIKE pattern short, matching every item, and broke the full-text query, a 500).
 */
export const searchTextSchema = single.max(50, 'validation.query.tooLong').refine(s => !CONTROL_CHARS.test(s), 'validation.controlChars')

export interface Page<T> { items: T[], total: number, page: number, pageSize: number }

export const serviceCodeSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'validation.serviceCode')

/** A service code a person chose in a form: none chosen reads "required", not "malformed". */
export const chosenServiceCodeSchema = z.string().min(1, 'validation.required').regex(/^[A-Za-z0-9-]{1,64}$/, 'validation.serviceCode')
