/**
 * Input validation for handlers: zod schemas in, a 400 with `data.fieldErrors` out. The messages
 * are i18n keys from shared/utils/validators.ts, so the browser shows the same words.
 */
import type { H3Event } from 'h3'
import type { z } from 'zod'

/** An i18n key such as `validation.required` or `case.errors.notListed`, not zod's own English. */
const MESSAGE_KEY = /^[a-z]+(?:\.[A-Za-z]+)+$/

/**
 * The message key for an issue whose schema gave none (zod's default English, e.g. an array where
 * a text is expected inside a nested schema), so that every field error is a key the page can show.
 */
function keyOf(issue: z.core.$ZodIssue): string {
  if (MESSAGE_KEY.test(issue.message)) return issue.message
  switch (issue.code) {
    case 'too_big': return issue.origin === 'array' || issue.origin === 'set' ? 'validation.tooMany' : issue.origin === 'string' ? 'validation.tooLong' : 'validation.tooLarge'
    case 'too_small': return issue.origin === 'string' || issue.origin === 'array' ? 'validation.required' : 'validation.tooSmall'
    case 'invalid_value': return 'validation.option'
    case 'unrecognized_keys': return 'validation.unknownField'
    default: return 'validation.invalidType'
  }
}

/**
 * First message per field, keyed by the issue's path (`answers.name` → `name` for answers); a field
 * the body should not have is named by its own key (`approvedBy`), so the caller sees which one.
 */
export function fieldErrorsOf(error: z.ZodError, stripPrefix?: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    let path = issue.path.map(String)
    if (stripPrefix && path[0] === stripPrefix && path.length > 1) path = path.slice(1)
    // the object's own error (a strictObject's 'validation.invalidType') would call the field mistyped
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out[[...path, key].join('.')] ??= 'validation.unknownField'
      continue
    }
    out[path.join('.') || '_'] ??= keyOf(issue)
  }
  return out
}

export function validationError(fieldErrors: Record<string, string>, message = 'The request has invalid fields') {
  return createError({ statusCode: 400, message, data: { fieldErrors } })
}

export async function parseBody<S extends z.ZodType>(event: H3Event, schema: S): Promise<z.output<S>> {
  const body = await readBody(event).catch(() => {
    throw createError({ statusCode: 400, message: 'The body is not valid JSON' })
  })
  // no body at all is an empty object (a POST whose fields are all optional); a JSON `null` is a
  // body of the wrong type, refused like any other, not taken as "nothing to change"
  const result = schema.safeParse(body === undefined ? {} : body)
  if (!result.success) throw validationError(fieldErrorsOf(result.error))
  return result.data
}

export function parseQuery<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  // `?dept=&page=` is what a form with nothing chosen sends (and the contract's own template):
  // an empty parameter is one not given, not a malformed one
  const given = Object.fromEntries(Object.entries(getQuery(event)).filter(([, v]) => v !== ''))
  const result = schema.safeParse(given)
  if (!result.success) {
    const fieldErrors = fieldErrorsOf(result.error)
    throw createError({ statusCode: 400, message: `Invalid query parameter: ${Object.keys(fieldErrors).join(', ')}`, data: { fieldErrors } })
  }
  return result.data
}

export function parseParams<S extends z.ZodType>(event: H3Event, schema: S): z.output<S> {
  const result = schema.safeParse(getRouterParams(event, { decode: true }))
  // A malformed identifier names nothing that exists.
  if (!result.success) throw createError({ statusCode: 404, message: 'Not found' })
  return result.data
}

export function notFound(message = 'Not found') {
  return createError({ statusCode: 404, message })
}
