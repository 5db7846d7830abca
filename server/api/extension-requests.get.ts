import { pendingExtensions } from '../services/extension-requests'

/**
 * The requests to extend a time limit waiting for this head of department's decision, the soonest
 * deadline first: `{ items }`. 403 to a clerk who does not head the department.
 */
export default defineApiHandler(['clerk'], (event, user) => {
  const items = pendingExtensions(useConnection(), user)
  if (!items) throw createError({ statusCode: 403, message: 'Only the head of the department decides requests to extend a time limit' })
  return { items }
})
