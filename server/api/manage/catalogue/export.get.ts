import { exportCatalogue } from '../../../services/catalogue-import'

/** Every published item's whole guide, the shape the import takes back (contract). */
export default defineApiHandler(['admin'], () => exportCatalogue(useConnection()))
