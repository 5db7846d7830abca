/**
 * The applicant's SMS receipt, end to end in the built server: a burst of cases at the counter
 * has every notice delivered by the outbox loop (more than one chunk of them), each logged once
 * with the mobile masked, and the backlog monitoring sees goes back to zero.
 */
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { counterCase, demoPerson, CLERK_SERVICE } from '../support/fixtures'
import { useTestServer } from '../support/server'

// a delivery round every 0.2 s
const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0.2', BACKUP_INTERVAL_HOURS: '0' } })

const backlog = async () => (await new Client(t.url).get<{ outbox: { backlog: number } }>('/api/health')).body.outbox.backlog

describe('notifications', () => {
  it('sends the SMS receipt of every case of a burst, once each, with the mobile masked', async () => {
    const clerk = await new Client(t.url).login('clerk')
    const person = demoPerson('citizen2')
    const caseNos: string[] = []
    // more than one chunk (50) of the sender
    for (let i = 0; i < 60; i++) caseNos.push(await counterCase(clerk, CLERK_SERVICE, person))
    let left = await backlog()
    for (let i = 0; i < 150 && left > 0; i++) {
      await new Promise(r => setTimeout(r, 200))
      left = await backlog()
    }
    expect(left).toBe(0)
    const sent = t.server.output.split('\n').filter(l => l.includes('"event":"notify.sent"')).map(l => JSON.parse(l) as { caseNo: string, to: string })
    for (const caseNo of caseNos) expect(sent.filter(s => s.caseNo === caseNo)).toHaveLength(1)
    expect(t.server.output).not.toContain(person.mobile)
    expect(sent.find(s => s.caseNo === caseNos[0])!.to).toMatch(/^\d{3}\*{4}\d{4}$/)
  })
})
