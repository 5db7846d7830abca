import { dataExportSchema } from '../../../shared/utils/validators'
import { exportPersonalData } from '../../services/personal-data'

/**
 * "Download my data" (PIPL art. 45): everything the portal holds about the person, unmasked, as a
 * JSON file; after the password again, since a stolen session must not be enough for the copy.
 */
export default defineApiHandler(['citizen'], async (event, user) => {
  enforceAddressLimit(event, 'reauth')
  const { password } = await parseBody(event, dataExportSchema)
  const result = await exportPersonalData(useConnection(), user, password, clientIp(event))
  if (!result.ok) throw reauthRefusal(event, result)
  setResponseHeaders(event, {
    'content-type': 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${result.fileName}"`,
    'cache-control': 'no-store',
  })
  return JSON.stringify(result.data, null, 2)
})
