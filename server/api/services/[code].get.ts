import { z } from 'zod'
import { getGuide } from '../../services/catalogue'

const Params = z.object({ code: serviceCodeSchema })

export default defineApiHandler('public', (event) => {
  const { code } = parseParams(event, Params)
  const guide = getGuide(useConnection(), code)
  if (!guide) throw notFound(`No service item with code ${code}`)
  return guide
})
