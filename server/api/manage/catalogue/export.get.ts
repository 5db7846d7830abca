import { z } from 'zod'
import { exportCatalogue } from '../../../services/catalogue-import'

const Query = z.object({ dept: single.regex(/^[A-Z0-9]{1,16}$/, 'validation.query.dept').optional() })

/**
 * Every published item's whole guide, the shape the import takes back (contract); `dept=` gives
 * one department's, so a catalogue larger than one import (IMPORT_MAX_ITEMS) goes back in parts.
 */
export default defineApiHandler(['admin'], (event) => {
  const { dept } = parseQuery(event, Query)
  return exportCatalogue(useConnection(), dept)
})
