/**
 * E-licences over HTTP against the built server: a citizen applies online, the clerk approves, and
 * the e-licence can be opened, printed, verified by anyone, revoked by its department and reused
 * in a later application without uploading it again.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { makeUscc } from '../../shared/utils/uscc'
import { Client, signedIn } from '../support/client'
import { pdfLines } from '../support/pdf'
import { useTestServer } from '../support/server'

const server = useTestServer()
const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'

async function upload(citizen: Client): Promise<string> {
  const form = new FormData()
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'declaration.pdf')
  const res = await citizen.post('/api/uploads', form)
  expect(res.status).toBe(201)
  return res.body.id
}

/** SZRS-0001 (灵活就业人员参保登记) is an instant item with a result: the clerk approves it at once. */
async function approvedCase(citizen: Client, clerk: Client, fileIds: string[]): Promise<{ caseNo: string, code: string }> {
  const answers = {
    name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000', joinMedical: 'no', startMonth: '2026-12-01',
    payMethod: 'online', declarationFlexibleEmploymentFile: fileIds,
  }
  const draft = await citizen.post('/api/applications', { serviceCode: 'SZRS-0001', answers })
  expect(draft.status).toBe(201)
  const submitted = await citizen.post(`/api/applications/${draft.body.id}/submit`)
  expect(submitted.status).toBe(201)
  const caseNo: string = submitted.body.caseNo
  const seen = await clerk.get(`/api/cases/${caseNo}`)
  const approved = await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'approve', version: seen.body.version })
  expect(approved.status).toBe(200)
  const mine = await citizen.get(`/api/cases/${caseNo}`)
  expect(mine.body.result).toEqual({ code: expect.stringMatching(/^[A-HJKMNP-Z2-9]{16}$/) })
  return { caseNo, code: mine.body.result.code }
}

describe('an approved case yields a verifiable e-licence', () => {
  let citizen: Client
  let clerk: Client
  let code: string
  let caseNo: string

  beforeAll(async () => {
    citizen = await signedIn(server.url, 'citizen')
    clerk = await signedIn(server.url, 'clerk')
    ;({ code, caseNo } = await approvedCase(citizen, clerk, [await upload(citizen)]))
  })

  it('the holder opens it with the details, ID number masked', async () => {
    const res = await citizen.get(`/api/results/${code}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      code, caseNo, status: 'valid', resultName: '社会保险参保登记凭证', service: { code: 'SZRS-0001' },
      holder: { name: '张晓明', idNumberMasked: '440305********2319' }, verifyUrl: `${server.url}/verify/${code}`,
    })
    expect(JSON.stringify(res.body)).not.toContain('440305199003072319')
    // the demo history gave this person earlier e-licences too: this one is among them, newest first
    const mine = await citizen.get('/api/me/results')
    expect(mine.body[0].code).toBe(code)
  })

  it('the issuing department and managers see it; another citizen or department gets 404, an administrator 403', async () => {
    expect((await clerk.get(`/api/results/${code}`)).body.canRevoke).toBe(true)
    expect((await (await signedIn(server.url, 'manager')).get(`/api/results/${code}`)).status).toBe(200)
    expect((await (await signedIn(server.url, 'citizen2')).get(`/api/results/${code}`)).status).toBe(404)
    expect((await (await signedIn(server.url, 'clerk2')).get(`/api/results/${code}`)).status).toBe(404)
    expect((await (await signedIn(server.url, 'admin')).get(`/api/results/${code}`)).status).toBe(403)
    expect((await new Client(server.url).get(`/api/results/${code}`)).status).toBe(401)
    const others = await (await signedIn(server.url, 'citizen2')).get('/api/me/results')
    expect(others.body.some((r: { code: string }) => r.code === code)).toBe(false)
  })

  it('anyone verifies it without signing in, and learns nothing personal', async () => {
    const res = await new Client(server.url).get(`/api/verify/${code}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ code, status: 'valid', serviceName: '灵活就业人员参保登记', holderMasked: '张**', issuedAt: expect.any(String) })
    const text = JSON.stringify(res.body)
    for (const secret of ['440305', '2319', '晓明', '13800138000', caseNo]) expect(text).not.toContain(secret)
    expect(res.headers.get('cache-control')).toContain('no-store')
    expect((await new Client(server.url).get(`/api/verify/${code.toLowerCase()}`)).body.code).toBe(code)
  })

  it('says a long-term licence is valid, long-term (validUntil 9999-12-31 for the contract\'s clients), and its PDF says long-term', async () => {
    // the item's guide says its 参保登记凭证 is long-term (resultValidity), as a record of the registration
    const res = await new Client(server.url).get(`/api/verify/${code}`)
    expect(res.body).toMatchObject({ status: 'valid', resultName: '社会保险参保登记凭证', validUntil: '9999-12-31', longTerm: true })
    expect((await citizen.get(`/api/results/${code}`)).body).toMatchObject({ status: 'valid', validUntil: null })
    const pdf = Buffer.from(await (await fetch(`${server.url}/api/results/${code}/pdf`, { headers: { cookie: citizen.cookie } })).arrayBuffer())
    expect(pdfLines(pdf)).toContain('有效期至：长期有效  Valid until: Long-term')
  })

  it.each(['ABCDEFGHJKMNPQRS', 'x', '%3Cscript%3E', 'A'.repeat(200), '1\'%20OR%201=1'])('an unknown or malformed code %s is a 404', async (bad) => {
    expect((await new Client(server.url).get(`/api/verify/${bad}`)).status).toBe(404)
  })

  it('the QR code is an SVG pointing to the verification page', async () => {
    const res = await fetch(`${server.url}/api/results/${code}/qr.svg`, { headers: { cookie: citizen.cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    const svg = await res.text()
    expect(svg).toMatch(/<svg[^>]+viewBox="0 0 \d+ \d+"/)
    expect(svg).toContain(`${server.url}/verify/${code}`)
    expect(svg.length).toBeGreaterThan(1000)
    expect((await (await signedIn(server.url, 'citizen2')).get(`/api/results/${code}/qr.svg`)).status).toBe(404)
  })

  it('the PDF is a PDF carrying the number and the verification address', async () => {
    const res = await fetch(`${server.url}/api/results/${code}/pdf`, { headers: { cookie: citizen.cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(bytes.toString('latin1')).toContain(`(${server.url}/verify/${code}) Tj`)
    expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true)
    expect((await (await signedIn(server.url, 'clerk2')).get(`/api/results/${code}/pdf`)).status).toBe(404)
  })
})

describe('staff opening someone\'s e-licence', () => {
  it('leaves an audit row for each page a clerk or manager opens and each PDF they download, none for the holder', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const clerk = await signedIn(server.url, 'clerk')
    const { code } = await approvedCase(citizen, clerk, [await upload(citizen)])
    const auditor = await signedIn(server.url, 'auditor')
    const rows = async () => ((await auditor.get<{ items: { subject: string, actorRole: string, detail: { format: string } }[] }>('/api/audit?action=result.read&pageSize=100')).body.items)
      .filter(r => r.subject === code).map(r => `${r.actorRole}:${r.detail.format}`).sort()
    const pdf = async (who: Client) => (await fetch(`${server.url}/api/results/${code}/pdf`, { headers: { cookie: who.cookie } })).status
    expect((await citizen.get(`/api/results/${code}`)).status).toBe(200)
    expect(await pdf(citizen)).toBe(200)
    expect(await rows()).toEqual([])
    const manager = await signedIn(server.url, 'manager')
    for (const staff of [clerk, manager]) {
      expect((await staff.get(`/api/results/${code}`)).status).toBe(200)
      expect(await pdf(staff)).toBe(200)
    }
    expect(await rows()).toEqual(['clerk:page', 'clerk:pdf', 'manager:page', 'manager:pdf'])
    // another department's clerk is refused (404) and leaves no read behind
    expect(await pdf(await signedIn(server.url, 'clerk2'))).toBe(404)
    expect(await rows()).toHaveLength(4)
  })
})

describe('a later application reuses the e-licence without uploading it (Article 9)', () => {
  it('picks it from the shared library; the clerk sees the material came from there', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const clerk = await signedIn(server.url, 'clerk')
    const first = await approvedCase(citizen, clerk, [await upload(citizen)])
    const library = await citizen.get('/api/me/shared-materials')
    expect(library.status).toBe(200)
    expect(library.body).toContainEqual(expect.objectContaining({ kind: 'result', code: first.code, name: '社会保险参保登记凭证', issuedAt: expect.any(String) }))
    const attached = await citizen.post(`/api/me/shared-materials/results/${first.code}/attach`)
    expect(attached.status).toBe(200)
    expect(attached.body).toMatchObject({ id: expect.any(String), mime: 'application/pdf', size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect((await citizen.post(`/api/me/shared-materials/results/${first.code}/attach`)).body.id).toBe(attached.body.id)
    const file = await fetch(`${server.url}/api/uploads/${attached.body.id}`, { headers: { cookie: citizen.cookie } })
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-')

    const second = await approvedCase(citizen, clerk, [attached.body.id])
    const seen = await clerk.get(`/api/cases/${second.caseNo}`)
    const material = seen.body.materials.find((m: { uploadId: string }) => m.uploadId === attached.body.id)
    expect(material).toMatchObject({ source: 'shared' })
  })

  it('nobody else can take it, and strangers and bad codes get nothing', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const { code } = await approvedCase(citizen, await signedIn(server.url, 'clerk'), [await upload(citizen)])
    const other = await signedIn(server.url, 'citizen2')
    expect((await other.post(`/api/me/shared-materials/results/${code}/attach`)).status).toBe(404)
    expect((await other.get('/api/me/shared-materials')).body.some((m: { code: string }) => m.code === code)).toBe(false)
    expect((await citizen.post('/api/me/shared-materials/results/nonsense/attach')).status).toBe(404)
    expect((await citizen.post(`/api/me/shared-materials/results/${code}/attach`, undefined, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await (await signedIn(server.url, 'clerk')).post(`/api/me/shared-materials/results/${code}/attach`)).status).toBe(403)
  })
})

describe('revocation by the issuing department', () => {
  it('only a clerk of that department, with a reason; the verification page shows it at once', async () => {
    const citizen = await signedIn(server.url, 'citizen')
    const clerk = await signedIn(server.url, 'clerk')
    const { caseNo, code } = await approvedCase(citizen, clerk, [await upload(citizen)])
    expect((await citizen.get(`/api/cases/${caseNo}`)).body).toMatchObject({ result: { code }, resultRevoked: false })
    expect((await (await signedIn(server.url, 'clerk2')).post(`/api/results/${code}/revoke`, { reason: '错误' })).status).toBe(404)
    expect((await citizen.post(`/api/results/${code}/revoke`, { reason: '错误' })).status).toBe(403)
    expect((await (await signedIn(server.url, 'manager')).post(`/api/results/${code}/revoke`, { reason: '错误' })).status).toBe(403)
    expect((await clerk.post(`/api/results/${code}/revoke`, { reason: '错误' }, { origin: 'https://evil.example' })).status).toBe(403)
    const missing = await clerk.post(`/api/results/${code}/revoke`, { reason: '   ' })
    expect(missing.status).toBe(400)
    expect(missing.body.data.fieldErrors).toEqual({ reason: 'validation.required' })
    expect((await clerk.post(`/api/results/${code}/revoke`, { reason: 42 })).body.data.fieldErrors).toEqual({ reason: 'validation.invalidType' })
    expect((await clerk.post(`/api/results/${code}/revoke`, { reason: 'x'.repeat(501) })).status).toBe(400)
    expect((await clerk.post(`/api/results/${code}/revoke`, 'reason=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)

    const revoked = await clerk.post(`/api/results/${code}/revoke`, { reason: '证照信息有误，已重新核发' })
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ status: 'revoked', revokeReason: '证照信息有误，已重新核发' })
    const verified = await new Client(server.url).get(`/api/verify/${code}`)
    expect(verified.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) })
    // the case says so beside its code, for the applicant and for the department
    for (const who of [citizen, clerk]) expect((await who.get(`/api/cases/${caseNo}`)).body).toMatchObject({ result: { code }, resultRevoked: true })
    expect((await clerk.post(`/api/results/${code}/revoke`, { reason: '再次' })).status).toBe(409)
    expect((await citizen.post(`/api/me/shared-materials/results/${code}/attach`)).status).toBe(409)
  })
})

describe('an employee registers their employer: the licence is the employer\'s (SZRS-0014)', () => {
  const employer = { name: '深圳市前海示例科技有限公司', uscc: makeUscc('91440300MA5G12345') }
  let citizen: Client
  let orgId: number
  let code: string

  /** A draft of SZRS-0014 for the employer, with every answer. */
  async function employerDraft(): Promise<string> {
    const answers = {
      orgName: employer.name, orgCode: employer.uscc, contactName: '张晓明', contactMobile: '13800138000', bankName: '中国银行深圳分行',
      bankAccount: '6217000000000001', employeeCount: 12, industry: 'it', basicDepositAccountFile: [await upload(citizen)],
    }
    const draft = await citizen.post('/api/applications', { serviceCode: 'SZRS-0014', answers, organizationId: orgId })
    expect(draft.status).toBe(201)
    return draft.body.id
  }

  beforeAll(async () => {
    citizen = await signedIn(server.url, 'citizen')
    const clerk = await signedIn(server.url, 'clerk')
    const org = await citizen.post('/api/me/organizations', employer)
    expect(org.status).toBe(201)
    orgId = org.body.id
    const submitted = await citizen.post(`/api/applications/${await employerDraft()}/submit`)
    expect(submitted.status).toBe(201)
    const caseNo: string = submitted.body.caseNo
    for (const action of ['accept', 'approve']) {
      const seen = await clerk.get(`/api/cases/${caseNo}`)
      expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action, version: seen.body.version })).status).toBe(200)
    }
    code = (await citizen.get(`/api/cases/${caseNo}`)).body.result.code
  })

  it('verification names the employer in full and nothing of the employee', async () => {
    const res = await new Client(server.url).get(`/api/verify/${code}`)
    expect(res.body).toMatchObject({ code, status: 'valid', serviceName: '用人单位社会保险登记', holderMasked: employer.name, holderKind: 'organization' })
    for (const personal of ['张', '440305', '2319']) expect(JSON.stringify(res.body)).not.toContain(personal)
  })

  it('the certificate and its PDF name the employer and its whole USCC (public), not the employee', async () => {
    const masked = employer.uscc
    expect((await citizen.get(`/api/results/${code}`)).body.holder).toEqual({ kind: 'organization', name: employer.name, idNumberMasked: masked })
    const pdf = Buffer.from(await (await fetch(`${server.url}/api/results/${code}/pdf`, { headers: { cookie: citizen.cookie } })).arrayBuffer()).toString('latin1')
    expect(pdf).toContain(`(Unified social credit code: ${masked}) Tj`)
    expect(pdf).not.toContain('440305')
    // the lines as a reader shows them (tests/support/pdf.ts): the holding organisation by name, not the employee
    const chinese = pdfLines(pdf)
    expect(chinese).toContain(`持证单位：${employer.name}`)
    expect(chinese).toContain('办理事项：用人单位社会保险登记')
    expect(chinese.join('')).not.toContain('张')
  })

  it('the shared library offers it for the employer\'s applications only', async () => {
    const offered = async (query: string) => ((await citizen.get(`/api/me/shared-materials${query}`)).body as { code: string }[]).some(m => m.code === code)
    const own = await citizen.post('/api/applications', { serviceCode: 'SZRS-0001', answers: {} })
    expect(await offered('')).toBe(false)
    expect(await offered(`?application=${own.body.id}`)).toBe(false)
    expect(await offered(`?application=${await employerDraft()}`)).toBe(true)
    expect((await citizen.get('/api/me/shared-materials?application=NOSUCHDRAFT0001')).status).toBe(404)
    expect((await citizen.get('/api/me/shared-materials?application=..%2F')).status).toBe(400)
  })

  it('a copy of it is made for the employer\'s application only, not for the person\'s own', async () => {
    const own = await citizen.post('/api/applications', { serviceCode: 'SZRS-0001', answers: {} })
    expect((await citizen.post(`/api/me/shared-materials/results/${code}/attach`, {})).status).toBe(404)
    expect((await citizen.post(`/api/me/shared-materials/results/${code}/attach?application=${own.body.id}`, {})).status).toBe(404)
    const copy = await citizen.post(`/api/me/shared-materials/results/${code}/attach?application=${await employerDraft()}`, {})
    expect(copy.status).toBe(200)
    expect(copy.body).toMatchObject({ mime: 'application/pdf' })
  })
})
