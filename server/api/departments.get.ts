import { listDepartments } from '../services/catalogue'

export default defineApiHandler('public', () => listDepartments(useConnection()))
