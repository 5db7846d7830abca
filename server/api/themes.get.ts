import { listThemes } from '../services/catalogue'

export default defineApiHandler('public', () => listThemes(useConnection()))
