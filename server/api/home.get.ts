import { catalogueHeadline, popularServices } from '../services/catalogue'

export default defineApiHandler('public', () => {
  const conn = useConnection()
  return { popular: popularServices(conn), headline: catalogueHeadline(conn) }
})
