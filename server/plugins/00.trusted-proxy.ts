import { trustedProxies } from '../utils/client-address'

/** A malformed TRUST_PROXY stops the server at start, naming the entry, not at its first request. */
export default defineNitroPlugin(() => {
  trustedProxies(process.env.TRUST_PROXY)
})
