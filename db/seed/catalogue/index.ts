import type { SeedService } from '../../../shared/types/catalogue'
import { publicSecurityServices } from './services-public-security'
import { socialSecurityServices } from './services-social-security'
import { marketTaxServices } from './services-market-tax'
import { urbanConstructionServices } from './services-urban-construction'
import { transportEnvironmentServices } from './services-transport-environment'
import { publicWelfareServices } from './services-public-welfare'

export { departments } from './departments'
export { themes } from './themes'

/** The full service catalogue seed (all departments). */
export const services: SeedService[] = [
  ...publicSecurityServices,
  ...socialSecurityServices,
  ...marketTaxServices,
  ...urbanConstructionServices,
  ...transportEnvironmentServices,
  ...publicWelfareServices,
]
