export default defineApiHandler('public', () => {
  useConnection().sqlite.prepare('SELECT 1').get()
  return { ok: true }
})
