/**
 * Every /api path no route claims: a JSON 404. Without it the page renderer took the request,
 * answered an HTML "page not found" and logged the whole path in the router's warning, and a path
 * can carry an ID number (`/api/track/4403…`).
 */
export default defineApiHandler('public', () => {
  throw notFound('No such API endpoint')
})
