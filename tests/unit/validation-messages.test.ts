/**
 * Every field error a handler answers is a message key the page can translate, also where a
 * nested schema gave none and zod would have put its own English ("Invalid input: expected
 * string, received array").
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { fieldErrorsOf } from '../../server/utils/validation'
import { chosenServiceCodeSchema } from '../../shared/utils/query'

const errorsOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input)
  if (r.success) throw new Error('expected a failure')
  return fieldErrorsOf(r.error)
}

describe('field errors are message keys', () => {
  it('keeps the schema\'s own key', () => {
    expect(errorsOf(z.object({ serviceCode: chosenServiceCodeSchema }), { serviceCode: 'a b' })).toEqual({ serviceCode: 'validation.serviceCode' })
  })

  it('gives a key for each kind of issue a schema left to zod', () => {
    const schema = z.object({
      serviceCode: chosenServiceCodeSchema,
      supplement: z.object({ fields: z.array(z.string()).max(2), materials: z.array(z.string()), kind: z.enum(['a', 'b']) }),
      comment: z.string().max(3),
      extra: z.strictObject({}),
      n: z.number().min(1),
    })
    expect(errorsOf(schema, { serviceCode: ['x'], supplement: { fields: ['a', 'b', 'c'], materials: [1], kind: 'c' }, comment: 'abcd', extra: { x: 1 }, n: 0 })).toEqual({
      'serviceCode': 'validation.invalidType',
      'supplement.fields': 'validation.tooMany',
      'supplement.materials.0': 'validation.invalidType',
      'supplement.kind': 'validation.option',
      'comment': 'validation.tooLong',
      'extra.x': 'validation.unknownField',
      'n': 'validation.tooSmall',
    })
  })
})
