/**
 * The bridge from the shared answers schema (shared/utils/form-schema.ts) to vee-validate.
 * vee-validate 4.15 reads only its own TypedSchema (`__type: 'VVTypedSchema'`), not Standard
 * Schema, and @vee-validate/zod is not installed; so this adapter runs the schema through zod's
 * Standard Schema interface (`~standard.validate`) and hands vee-validate the first message per
 * answer key: the same verdict and the same keys as the server's `validateAnswers`.
 */
import type { TypedSchema, TypedSchemaError } from 'vee-validate'
import type { FormDefinition } from '../shared/types/catalogue'
import { buildAnswersSchema } from '../shared/utils/form-schema'
import type { Answers } from '../shared/utils/form-schema'

type PathSegment = PropertyKey | { key: PropertyKey }

const pathOf = (path: readonly PathSegment[] | undefined): string =>
  (path ?? []).map(p => String(typeof p === 'object' && p !== null ? p.key : p)).join('.')

/** A vee-validate `validationSchema` for a form's answers, built from the one shared zod schema. */
export function toAnswersTypedSchema(def: FormDefinition): TypedSchema<Answers, Answers> {
  const schema = buildAnswersSchema(def)
  return {
    __type: 'VVTypedSchema',
    async parse(values) {
      const result = await schema['~standard'].validate(values)
      if (!result.issues) return { value: result.value, errors: [] }
      // a Map keeps the first message per key, as the server's firstErrorPerKey does
      const first = new Map<string, string>()
      for (const issue of result.issues) {
        const key = pathOf(issue.path) || '_'
        if (!first.has(key)) first.set(key, issue.message)
      }
      return { errors: [...first].map(([path, message]): TypedSchemaError => ({ path, errors: [message] })) }
    },
  }
}
