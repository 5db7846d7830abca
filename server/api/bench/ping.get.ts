/**
 * The cheapest request the portal answers, for `npm run bench`: the framework's ceiling (routing,
 * the middlewares, the route policy, JSON) against which every other figure is a ratio. Unlike
 * /api/health it touches neither the database nor the disk. Public, constant, nothing to leak.
 */
export default defineApiHandler('public', () => ({ ok: true }))
