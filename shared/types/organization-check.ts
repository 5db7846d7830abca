/**
 * What the city's legal-entity base data (法人库) says of an organisation a person acts for, as the
 * person's account page and the department's case page show it (server/services/legal-entities.ts).
 * Read when shown, so a change in the base data (a new legal representative, a deregistration) is
 * seen at once. Nothing here is secret: an entity's registered name and status are public
 * (国家企业信用信息公示系统); the legal representative's ID number never leaves the server.
 */
export type OrganizationCheck
  /** registered and active under the name given, and the person (ID number proven by a verified mobile, or by the ID card seen at the counter) is its legal representative */
  = | { kind: 'legalRepresentative' }
    /** registered and active under the name given; the person is not, or not proven to be, its legal representative: an agent, who needs the entity's authorisation (授权委托书) */
    | { kind: 'registered' }
    /** the code is registered under another name */
    | { kind: 'nameMismatch', registeredName: string }
    /** deregistered (注销) or its business licence revoked (吊销) */
    | { kind: 'inactive', status: 'deregistered' | 'revoked', statusDate: string | null, registeredName: string }
    /** not in the city's base data: registered elsewhere, or not at all */
    | { kind: 'notFound' }

export type OrganizationCheckKind = OrganizationCheck['kind']

/** An entity as staff look it up at the counter (GET /api/legal-entities/:uscc): public data, never the representative. */
export interface RegisteredEntity { uscc: string, name: string, status: 'active' | 'deregistered' | 'revoked', statusDate: string | null }
