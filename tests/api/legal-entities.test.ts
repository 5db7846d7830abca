/**
 * The counter's look-up of an organisation code in the city's legal-entity base data: staff get
 * the registered name, status and its day, never the legal representative, whatever way the code
 * was typed; a code that is not a USCC, or one nobody registered, names nothing.
 */
import { describe, expect, it } from 'vitest'
import { DEMO_LEGAL_ENTITIES } from '../../db/seed/legal-entities'
import { signedIn } from '../support/client'
import { useTestServer } from '../support/server'

const t = useTestServer()
const CLOSED = DEMO_LEGAL_ENTITIES[3]!

describe('a clerk looking up an organisation code at the counter', () => {
  it('gets what is registered under it, and nothing of its legal representative', async () => {
    const clerk = await signedIn(t.url, 'clerk')
    const res = await clerk.get(`/api/legal-entities/${CLOSED.uscc}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ uscc: CLOSED.uscc, name: CLOSED.name, status: 'deregistered', statusDate: '2025-06-30' })
    // typed in its groups, in lower case
    const typed = `${CLOSED.uscc.slice(0, 8)} ${CLOSED.uscc.slice(8).toLowerCase()}`
    expect((await clerk.get(`/api/legal-entities/${encodeURIComponent(typed)}`)).body).toEqual(res.body)
  })

  it('finds nothing for a code with a wrong check character, or too long', async () => {
    const clerk = await signedIn(t.url, 'clerk')
    const wrong = CLOSED.uscc.slice(0, 17) + (CLOSED.uscc.endsWith('0') ? '1' : '0')
    expect((await clerk.get(`/api/legal-entities/${wrong}`)).status).toBe(404)
    expect((await clerk.get(`/api/legal-entities/${'9'.repeat(41)}`)).status).toBe(404)
  })
})
