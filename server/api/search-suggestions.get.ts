import { z } from 'zod'
import { searchSuggestions } from '../services/search-suggestions'

const Query = z.object({ q: searchTextSchema })

/** When a catalogue search found nothing: the items closest to the words typed, and the most used. */
export default defineApiHandler('public', (event) => {
  const { q } = parseQuery(event, Query)
  return searchSuggestions(useConnection(), q)
})
