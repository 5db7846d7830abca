import { z } from 'zod'
import { organizationNameSchema, usccSchema } from '../../../shared/utils/validators'
import { addOrganization } from '../../services/registration'

const Body = z.object({ name: organizationNameSchema, uscc: usccSchema }, { error: 'validation.invalidType' })

/** A citizen adds an organisation they act for, by name and unified social credit code. */
export default defineApiHandler(['citizen'], async (event, user) => {
  const org = await parseBody(event, Body)
  const result = addOrganization(useConnection(), user, org, clientIp(event))
  if (!result.ok && result.reason === 'duplicate') {
    throw createError({ statusCode: 409, message: 'This organisation is already on your account', data: { fieldErrors: { uscc: 'validation.organizationDuplicate' } } })
  }
  if (!result.ok) throw validationError({ _: 'validation.tooMany' }, 'Too many organisations on one account')
  setResponseStatus(event, 201)
  return result.organization
})
