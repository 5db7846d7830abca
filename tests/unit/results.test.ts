/**
 * Electronic results, told as the people who meet them: the applicant whose case is approved, a
 * stranger who scans the QR code, the clerk who revokes, and a later application reusing it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../db/client'
import { writeTransaction } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import type { PdfContent } from '../../server/services/result-pdf'
import { renderResultPdf } from '../../server/services/result-pdf'
import { qrMatrix, qrSvg } from '../../server/services/result-qr'
import { pdfLines } from '../support/pdf'
import { issueResultOnApproval, newVerificationCode } from '../../server/services/result-issue'
import { findHeldResult, findResultFor, listMyResults, RESULT_CODE, ResultConflict, revokeResult, verificationUrl, verifyResult } from '../../server/services/results'
import type { ResultActor } from '../../server/services/results'
import { attachResult, listSharedMaterials, SharedMaterialUnavailable } from '../../server/services/shared-materials'
import { deleteUpload } from '../../server/services/uploads'
import type { ApplicationError } from '../../server/services/application-errors'
import { createDraft, saveDraft } from '../../server/services/applications'
import { applyTransition } from '../../server/services/transitions'
import { freshDatabase, userIdOf } from '../support/db'

const citizen = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }

function actor(conn: Connection, username: string) {
  return conn.sqlite.prepare(`SELECT id, role, department_code AS departmentCode, id_number AS idNumber FROM users WHERE username = ?`)
    .get(username) as { id: number, role: string, departmentCode: string | null, idNumber: string | null }
}

/** An online case of the citizen for an instant item with a result, approved by the clerk. */
function approvedCase(conn: Connection, serviceCode = 'SZRS-0006', now = new Date('2026-03-02T02:00:00Z')): string {
  const userId = userIdOf(conn, 'citizen')
  const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
    serviceCode, channel: 'online', formVersionId: null, applicant: { userId, ...citizen }, answers: {}, materials: [], actor: { id: userId, role: 'citizen' },
  }, now))
  const clerk = actor(conn, 'clerk')
  applyTransition(conn, { caseNo, action: 'approve', version: 1, user: clerk, now })
  return caseNo
}

function resultCodeOf(conn: Connection, caseNo: string): string {
  return (conn.sqlite.prepare('SELECT code FROM results WHERE case_no = ?').get(caseNo) as { code: string }).code
}

describe('an approved case yields an e-licence', () => {
  it('issues one verifiable result with a readable code, valid five years', () => {
    const conn = freshDatabase()
    const caseNo = approvedCase(conn)
    const code = resultCodeOf(conn, caseNo)
    expect(code).toMatch(RESULT_CODE)
    const v = verifyResult(conn, code, new Date('2026-03-03T00:00:00Z'))!
    expect(v).toMatchObject({ code, status: 'valid', serviceName: expect.stringContaining('参保证明'), holderMasked: '张**', validUntil: '2031-03-01' })
    expect(JSON.stringify(v)).not.toContain('440305')
    expect(JSON.stringify(v)).not.toContain('晓明')
  })

  it('keeps the licence\'s English title as issued, for English pages and the PDF', () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    const english = (conn.sqlite.prepare(`SELECT result_name_en AS t FROM services WHERE code = 'SZRS-0006'`).get() as { t: string }).t
    expect(english).toMatch(/^[A-Z]/)
    conn.sqlite.prepare(`UPDATE services SET result_name_en = 'Renamed Later' WHERE code = 'SZRS-0006'`).run()
    expect(verifyResult(conn, code)!.resultNameEn).toBe(english)
    // and offered for reuse in an application under both titles
    expect(listSharedMaterials(conn, actor(conn, 'citizen'), new Date('2026-03-03T00:00:00Z'))).toEqual([expect.objectContaining({ code, name: '深圳市社会保险参保证明', nameEn: english })])
  })

  it('is recorded in the audit log as issued by the clerk who approved the case', () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    const row = conn.sqlite.prepare(`SELECT actor_id AS actorId, actor_role AS actorRole FROM audit_log WHERE action = 'result.issue' AND subject = ?`).get(code)
    expect(row).toEqual({ actorId: userIdOf(conn, 'clerk'), actorRole: 'clerk' })
  })

  it('issues nothing for an item without a result, and only one result per case', () => {
    const conn = freshDatabase()
    const caseNo = approvedCase(conn, 'SZRS-0005')
    expect(conn.sqlite.prepare('SELECT count(*) AS n FROM results WHERE case_no = ?').get(caseNo)).toEqual({ n: 0 })
    const withResult = approvedCase(conn)
    const code = resultCodeOf(conn, withResult)
    const again = writeTransaction(conn, () => issueResultOnApproval(conn, { caseNo: withResult, serviceCode: 'SZRS-0006', applicantId: null, applicantName: 'x', applicantIdNumber: 'x' }))
    expect(again).toBe(code)
  })

  it('codes are 16 unambiguous characters and do not repeat', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newVerificationCode()))
    expect(codes.size).toBe(2000)
    for (const c of codes) expect(c).toMatch(/^[A-HJKMNP-Z2-9]{16}$/)
  })

  it('an unknown or malformed code verifies as nothing', () => {
    const conn = freshDatabase()
    expect(verifyResult(conn, 'ABCDEFGHJKMNPQRS')).toBeNull()
    expect(verifyResult(conn, '../../etc/passwd')).toBeNull()
    expect(verifyResult(conn, '\' OR 1=1 --')).toBeNull()
  })

  it('shows as expired from the day after its last valid day', () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    expect(verifyResult(conn, code, new Date('2031-03-01T12:00:00Z'))!.status).toBe('valid')
    expect(verifyResult(conn, code, new Date('2031-03-01T16:00:00Z'))!.status).toBe('expired') // 00:00 on 2 March in Shenzhen
  })
})

describe('who sees the details', () => {
  it('the holder, the issuing department and managers; not another citizen nor another department', () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    const holderView = findResultFor(conn, code, actor(conn, 'citizen'))!
    expect(holderView.holder).toEqual({ kind: 'person', name: '张晓明', idNumberMasked: '440305********2319' })
    expect(holderView.canRevoke).toBe(false)
    expect(findResultFor(conn, code, actor(conn, 'clerk'))!.canRevoke).toBe(true)
    expect(findResultFor(conn, code, actor(conn, 'manager'))).not.toBeNull()
    expect(findResultFor(conn, code, actor(conn, 'citizen2'))).toBeNull()
    expect(findResultFor(conn, code, actor(conn, 'clerk2'))).toBeNull()
    expect(findResultFor(conn, code, actor(conn, 'admin'))).toBeNull()
    expect(listMyResults(conn, actor(conn, 'citizen')).map(r => r.code)).toEqual([code])
    expect(listMyResults(conn, actor(conn, 'citizen2'))).toEqual([])
  })
})

describe('a result of a counter case whose applicant had no account', () => {
  const person = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }

  function counterResult(conn: Connection): string {
    const clerk = actor(conn, 'clerk')
    const now = new Date('2026-03-02T02:00:00Z')
    const { caseNo } = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: 'SZRS-0006', channel: 'counter', formVersionId: null, applicant: { userId: null, ...person }, answers: {}, materials: [], actor: clerk,
    }, now))
    applyTransition(conn, { caseNo, action: 'approve', version: 1, user: clerk, now })
    return resultCodeOf(conn, caseNo)
  }

  /** An account with these details; `verified`: it proved the mobile by an SMS code (mobile-verification.ts). */
  function account(conn: Connection, username: string, p: { name: string, idNumber: string, mobile: string }, verified = true) {
    const { lastInsertRowid } = conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, name, id_number, mobile, mobile_verified_at) VALUES (?, 'x', 'citizen', ?, ?, ?, ?)`)
      .run(username, p.name, p.idNumber, p.mobile, verified ? '2026-03-03T00:00:00.000Z' : null)
    return { id: Number(lastInsertRowid), role: 'citizen', departmentCode: null, ...p }
  }

  it('is not handed to whoever registers with the same ID number', () => {
    const conn = freshDatabase()
    const code = counterResult(conn)
    const impostor = account(conn, 'impostor', { ...person, name: '冒名者', mobile: '13700000000' })
    expect(findResultFor(conn, code, impostor)).toBeNull()
    expect(listMyResults(conn, impostor)).toEqual([])
    expect(findHeldResult(conn, code, impostor)).toBeNull()
    // the same name but another mobile is not enough either
    expect(findResultFor(conn, code, account(conn, 'namesake', { ...person, mobile: '13700000001' }))).toBeNull()
  })

  it('belongs to the account with the same ID number, name and mobile, registered later', () => {
    const conn = freshDatabase()
    const code = counterResult(conn)
    const owner = account(conn, 'zhaoxiuying', { ...person, idNumber: person.idNumber.toLowerCase() })
    expect(findResultFor(conn, code, owner)!.holder.name).toBe('赵秀英')
    expect(listMyResults(conn, owner).map(r => r.code)).toEqual([code])
  })

  it('is not the matching account\'s until it has verified its mobile, and is once it has', () => {
    const conn = freshDatabase()
    const code = counterResult(conn)
    const owner = account(conn, 'zhaoxiuying', person, false)
    expect(findResultFor(conn, code, owner)).toBeNull()
    expect(listMyResults(conn, owner)).toEqual([])
    expect(findHeldResult(conn, code, owner)).toBeNull()
    conn.sqlite.prepare(`UPDATE users SET mobile_verified_at = '2026-03-04T00:00:00.000Z' WHERE id = ?`).run(owner.id)
    expect(listMyResults(conn, owner).map(r => r.code)).toEqual([code])
    expect(findHeldResult(conn, code, owner)).not.toBeNull()
  })

  it('goes to neither of two accounts that both match the person, as intake would link neither to the case', () => {
    const conn = freshDatabase()
    const code = counterResult(conn)
    const one = account(conn, 'zhao1', person)
    const two = account(conn, 'zhao2', person)
    for (const who of [one, two]) {
      expect(findResultFor(conn, code, who)).toBeNull()
      expect(listMyResults(conn, who)).toEqual([])
      expect(findHeldResult(conn, code, who)).toBeNull()
    }
    // once one of them is closed (注销), the other is the only one left, and holds it
    conn.sqlite.prepare(`UPDATE users SET closed_at = '2026-03-03T00:00:00.000Z' WHERE id = ?`).run(one.id)
    expect(listMyResults(conn, two).map(r => r.code)).toEqual([code])
    expect(listMyResults(conn, one)).toEqual([])
  })

  describe('its copy for applications', () => {
    let dir: string
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'results-uploads-'))
      process.env.UPLOAD_DIR = dir
    })
    afterAll(() => {
      delete process.env.UPLOAD_DIR
      rmSync(dir, { recursive: true, force: true })
    })

    it('is made anew for the next holder: the copy the licence remembers may be someone else\'s', async () => {
      const conn = freshDatabase()
      const code = counterResult(conn)
      const first = account(conn, 'zhao1', person)
      const firstCopy = (await attachResult(conn, code, first, null))!
      // the first account closes, keeping the copy (say a submitted application names it); the
      // person registers again and is now the only matching account
      conn.sqlite.prepare(`UPDATE users SET closed_at = '2026-03-03T00:00:00.000Z', name = '-', id_number = NULL, mobile = NULL WHERE id = ?`).run(first.id)
      const next = account(conn, 'zhao2', person)
      expect(listSharedMaterials(conn, next)[0]!.uploadId).toBeNull()
      const copy = (await attachResult(conn, code, next, null))!
      expect(copy.id).not.toBe(firstCopy.id)
      expect(conn.sqlite.prepare('SELECT owner_id AS ownerId FROM uploads WHERE id = ?').get(copy.id)).toEqual({ ownerId: next.id })
      expect((await attachResult(conn, code, next, null))!.id).toBe(copy.id)
      expect(listSharedMaterials(conn, next)[0]!.uploadId).toBe(copy.id)
    })
  })
})

describe('revocation', () => {
  it('a clerk of the issuing department revokes it, audited, and verification shows it at once', () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    const clerk = actor(conn, 'clerk')
    const done = writeTransaction(conn, () => revokeResult(conn, code, clerk, '证照信息有误', '127.0.0.1'))!
    expect(done.status).toBe('revoked')
    expect(verifyResult(conn, code)).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) })
    const audit = conn.sqlite.prepare(`SELECT actor_id AS actorId, detail FROM audit_log WHERE action = 'result.revoke' AND subject = ?`).get(code) as { actorId: number, detail: string }
    expect(audit.actorId).toBe(clerk.id)
    expect(JSON.parse(audit.detail)).toMatchObject({ reason: '证照信息有误' })
    // the holder hears of it by SMS too, once, at the mobile the application gave
    const sms = conn.sqlite.prepare(`SELECT recipient, params FROM outbox WHERE template = 'result.revoked'`).all() as { recipient: string, params: string }[]
    expect(sms).toHaveLength(1)
    expect(sms[0]!.recipient).toMatch(/^1\d{10}$/)
    expect(JSON.parse(sms[0]!.params)).toMatchObject({ code, reason: '证照信息有误' })
    expect(() => writeTransaction(conn, () => revokeResult(conn, code, clerk, 'again', null))).toThrow(ResultConflict)
    expect(conn.sqlite.prepare(`SELECT count(*) AS n FROM outbox WHERE template = 'result.revoked'`).get()).toEqual({ n: 1 })
  })

  it('nobody else can: another department, a manager, the holder', () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    for (const who of ['clerk2', 'manager', 'citizen']) expect(revokeResult(conn, code, actor(conn, who), 'x', null)).toBeNull()
    expect(verifyResult(conn, code)!.status).toBe('valid')
  })
})

describe('the printable forms', () => {
  const url = 'https://www.sz.gov.cn/verify/ABCDEFGHJKMNPQRS'
  const licence: PdfContent = {
    code: 'ABCDEFGHJKMNPQRS', number: 'SZRS-0006-20260302000001', caseNo: 'SZ20260302000001', serviceCode: 'SZRS-0006',
    serviceName: '社会保险参保缴费证明（个人）', serviceNameEn: 'Social insurance contribution certificate (individual)', resultName: '社会保险参保证明', resultNameEn: 'Social Insurance Enrolment Certificate',
    departmentName: '深圳市社会保险基金管理局', departmentNameEn: 'Shenzhen Social Insurance Fund Administration', holderName: '张三',
    holderIdNumberMasked: '440305********2319', holderKind: 'person', issuedDate: '2026-03-02', validUntil: '2031-03-01', status: 'valid', verifyUrl: url,
  }

  it('the QR code has a quiet zone and is an SVG carrying the URL', () => {
    const m = qrMatrix(url)
    expect(m.size).toBeGreaterThanOrEqual(21 + 8)
    expect(m.runs.every(([r, c]) => r >= 4 && c >= 4 && r < m.size - 4 && c < m.size - 4)).toBe(true)
    const svg = qrSvg(url)
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg /)
    expect(svg).toContain(`<title>${url}</title>`)
  })

  it('the PDF reads in Chinese first: the holder, the item and the issuing department by name, in a font every reader supplies', () => {
    const pdf = renderResultPdf({ ...licence, holderName: '张𠮷明', validUntil: null })
    const lines = pdfLines(pdf)
    expect(lines[0]).toBe('深圳市网上办事大厅')
    expect(lines).toContain('办理事项：社会保险参保缴费证明（个人）')
    expect(lines).toContain('发证部门：深圳市社会保险基金管理局')
    expect(lines).toContain('证照名称：社会保险参保证明')
    expect(lines).toContain('Title: Social Insurance Enrolment Certificate')
    // a name character beyond UCS-2 is marked, not dropped or garbled
    expect(lines).toContain('持证人：张〓明')
    // the English half names the holder too, the name as written
    expect(lines).toContain('Holder: 张〓明')
    expect(lines).toContain('有效期至：长期有效  Valid until: Long-term')
    expect(lines).toContain('打印时状态：有效  Status when printed: Valid')
    // days as each language writes them, not ISO 8601
    expect(lines).toContain('签发日期：2026年3月2日  Issued on: 2 March 2026')
    expect(pdfLines(renderResultPdf(licence))).toContain('有效期至：2031年3月1日  Valid until: 1 March 2031')
    expect(pdfLines(renderResultPdf({ ...licence, status: 'revoked' }))).toContain('打印时状态：已撤销  Status when printed: Revoked')
    // each Chinese label shares its line with the English one, which starts after it
    // (four characters and two spaces in 11 points: 55 points)
    const text = pdf.toString('latin1')
    expect(text).toMatch(/<[0-9A-F]+> Tj \/F1 11 Tf 55 0 Td \(Certificate number: SZRS-0006-20260302000001\) Tj/)
    // and a name after an English label starts where Helvetica's "Holder: " ends (3.501 em in 11 points)
    expect(text).toMatch(/\(Holder: \) Tj \/F3 11 Tf 38.511 0 Td <[0-9A-F]+> Tj/)
    // STSong-Light in UniGB-UCS2-H, not embedded (no font file to ship or fetch), with a ToUnicode map for copying and screen readers
    expect(text).toMatch(/\/Subtype \/Type0 \/BaseFont \/STSong-Light \/Encoding \/UniGB-UCS2-H \/DescendantFonts \[9 0 R\] \/ToUnicode 11 0 R/)
    expect(text).not.toMatch(/FontFile/)
    expect(text).toContain('<0000> <FFFF>\nendcodespacerange')
    expect(text).toContain('/Lang (zh-CN)')
  })

  it('the PDF prints names the Chinese font lacks characters of: a middle dot it has, Latin in Helvetica, the rest marked', () => {
    const holder = (holderName: string) => pdfLines(renderResultPdf({ ...licence, holderName })).find(l => l.startsWith('持证人：'))
    // U+00B7, which STSong's map lacks (it printed nothing), as the katakana middle dot it has
    expect(holder('阿依古丽·买买提')).toBe('持证人：阿依古丽・买买提')
    // Latin-1 letters set in Helvetica, its WinAnsi bytes
    expect(holder('José Müller')).toBe('持证人：José Müller')
    expect(pdfLines(renderResultPdf({ ...licence, holderName: 'José Müller' }))).toContain('Holder: José Müller')
    expect(renderResultPdf({ ...licence, holderName: 'José Müller' }).toString('latin1')).toContain('(Jos\xE9 M\xFCller) Tj')
    // Hangul is in neither font: marked, never another glyph
    expect(holder('김민준')).toBe('持证人：〓〓〓')
    // a typographic apostrophe in an English item name is Helvetica's, not '?'
    expect(renderResultPdf({ ...licence, serviceNameEn: 'People\u2019s Mediation' }).toString('latin1')).toContain('(Service: SZRS-0006 People\x92s Mediation) Tj')
  })

  it('the PDF wraps a long organisation or item name inside the page instead of running off it', () => {
    const organisation = '深圳市'.padEnd(100, '前海深港现代服务业合作区科技创新有限公司')
    const serviceNameEn = 'Living Allowance for Disabled Persons with Financial Difficulties and Nursing Subsidy for Persons with Severe Disabilities'
    const pdf = renderResultPdf({ ...licence, holderKind: 'organization', holderName: organisation, serviceNameEn })
    const text = pdf.toString('latin1')
    // nothing is lost: the wrapped lines read the whole name again
    const lines = pdfLines(pdf)
    const at = lines.findIndex(l => l.startsWith('持证单位：'))
    expect(lines.slice(at).join('').startsWith(`持证单位：${organisation}`)).toBe(true)
    const atEn = lines.findIndex(l => l.startsWith('Holding organisation: '))
    expect(lines.slice(atEn).join('').startsWith(`Holding organisation: ${organisation}`)).toBe(true)
    expect(lines.findIndex(l => l.startsWith('Service:')) + 1).toBeGreaterThan(0)
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(`Service: SZRS-0006 ${serviceNameEn}`)
    // every Chinese run ends inside the column (595 less 56 points each side): its start, by the Td moves of its line, plus an em an ideograph
    for (const [, ops] of text.matchAll(/BT (.*?) ET/g)) {
      let x = 0
      for (const [, size, dx, hex] of ops!.matchAll(/\/F\d (\d+) Tf ([\d.]+) [\d.]+ Td (?:<([0-9A-F]+)>|\(.*?\)) Tj/g)) {
        x += Number(dx)
        if (hex) expect(x + (hex.length / 4) * Number(size), hex).toBeLessThanOrEqual(595 - 56)
      }
    }
    // and no Helvetica line longer than 80 characters (Helvetica's average letter is about half an em: 440 points at 11)
    for (const [, s] of text.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)) expect(s!.length).toBeLessThanOrEqual(80)
  })

  it('the PDF is a well-formed PDF whose cross-reference table points at its objects', () => {
    const pdf = renderResultPdf({
      ...licence, serviceNameEn: 'Social (insurance) proof \\ 证明', validUntil: '2031-03-01',
    })
    const text = pdf.toString('latin1')
    expect(text.startsWith('%PDF-1.4\n')).toBe(true)
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true)
    expect(text).toContain(`(${url}) Tj`)
    expect(text).toContain('(Service: SZRS-0006 Social \\(insurance\\) proof \\\\ ??) Tj')
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)![1])
    expect(text.slice(startxref, startxref + 4)).toBe('xref')
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map(m => Number(m[1]))
    expect(offsets).toHaveLength(11)
    offsets.forEach((o, i) => expect(text.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`))
    const length = Number(/\/Length (\d+) >>\nstream\n/.exec(text)![1])
    const streamStart = text.indexOf('stream\n') + 'stream\n'.length
    expect(text.slice(streamStart + length, streamStart + length + 'endstream'.length)).toBe('endstream')
    expect((text.match(/ re$/gm) ?? []).length).toBeGreaterThan(50)
  })

  it('the verification address uses PORTAL_BASE_URL when set', () => {
    expect(verificationUrl('ABC', 'http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/verify/ABC')
    // what is stored passes no request origin: the path alone
    expect(verificationUrl('ABC')).toBe('/verify/ABC')
    process.env.PORTAL_BASE_URL = 'https://www.sz.gov.cn/'
    try {
      expect(verificationUrl('ABC', 'http://127.0.0.1:3000')).toBe('https://www.sz.gov.cn/verify/ABC')
      expect(verificationUrl('ABC')).toBe('https://www.sz.gov.cn/verify/ABC')
    }
    finally {
      delete process.env.PORTAL_BASE_URL
    }
  })
})

describe('shared materials (Article 9)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'results-uploads-'))
    process.env.UPLOAD_DIR = dir
  })
  afterAll(() => {
    delete process.env.UPLOAD_DIR
    rmSync(dir, { recursive: true, force: true })
  })

  it('the holder picks an e-licence once and gets the same upload, a PDF on disk with its checksum', async () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    const holder = actor(conn, 'citizen')
    expect(listSharedMaterials(conn, holder)).toMatchObject([{ kind: 'result', code, name: '深圳市社会保险参保证明', uploadId: null }])
    const first = (await attachResult(conn, code, holder, null))!
    expect(first).toMatchObject({ mime: 'application/pdf', name: expect.stringMatching(/\.pdf$/) })
    const stored = conn.sqlite.prepare('SELECT owner_id AS ownerId, stored_name AS storedName, sha256 FROM uploads WHERE id = ?').get(first.id) as { ownerId: number, storedName: string, sha256: string }
    expect(stored.ownerId).toBe(holder.id)
    const bytes = readFileSync(join(dir, stored.storedName))
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    expect(bytes.length).toBe(first.size)
    // no PORTAL_BASE_URL: the stored copy carries the path alone, nothing taken from the request
    expect(bytes.toString('latin1')).toContain(`(/verify/${code}) Tj`)
    const second = await attachResult(conn, code, holder, null)
    expect(second).toEqual(first)
    expect(listSharedMaterials(conn, holder)[0]!.uploadId).toBe(first.id)
  })

  it('the copy clerks receive carries PORTAL_BASE_URL\'s verification address, never one from the request', async () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    process.env.PORTAL_BASE_URL = 'https://www.sz.gov.cn'
    try {
      const copy = (await attachResult(conn, code, actor(conn, 'citizen'), null))!
      const { storedName } = conn.sqlite.prepare('SELECT stored_name AS storedName FROM uploads WHERE id = ?').get(copy.id) as { storedName: string }
      const text = readFileSync(join(dir, storedName)).toString('latin1')
      expect(text).toContain(`(https://www.sz.gov.cn/verify/${code}) Tj`)
      expect(text).not.toContain('portal.test')
    }
    finally {
      delete process.env.PORTAL_BASE_URL
    }
  })

  it('someone else cannot take it, and a revoked one cannot be reused', async () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    expect(await attachResult(conn, code, actor(conn, 'citizen2'), null)).toBeNull()
    writeTransaction(conn, () => revokeResult(conn, code, actor(conn, 'clerk'), 'wrong', null))
    await expect(attachResult(conn, code, actor(conn, 'citizen'), null)).rejects.toBeInstanceOf(SharedMaterialUnavailable)
    expect(listSharedMaterials(conn, actor(conn, 'citizen'))).toEqual([])
  })

  it('a copy taken while the licence was valid is refused in an application once it is revoked', async () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    const holder = actor(conn, 'citizen') as ResultActor & { role: 'citizen' }
    const copy = (await attachResult(conn, code, holder, null))!
    const answers = { declarationFlexibleEmploymentFile: [copy.id] }
    const draft = writeTransaction(conn, () => createDraft(conn, holder, { serviceCode: 'SZRS-0001', answers }))
    writeTransaction(conn, () => revokeResult(conn, code, actor(conn, 'clerk'), 'issued in error', null))
    let refusal: ApplicationError | undefined
    try { writeTransaction(conn, () => saveDraft(conn, holder, draft.id, answers)) }
    catch (e) { refusal = e as ApplicationError }
    expect(refusal?.statusCode).toBe(400)
    expect(refusal?.fieldErrors).toEqual({ declarationFlexibleEmploymentFile: 'validation.resultNotValid' })
  })

  it('the holder may delete the copy: the licence forgets it and can be copied again', async () => {
    const conn = freshDatabase()
    const code = resultCodeOf(conn, approvedCase(conn))
    const holder = actor(conn, 'citizen') as ResultActor & { role: 'citizen' }
    const copy = (await attachResult(conn, code, holder, null))!
    expect(writeTransaction(conn, () => deleteUpload(conn, copy.id, holder))).toMatchObject({ storedName: expect.any(String) })
    expect(listSharedMaterials(conn, holder)[0]!.uploadId).toBeNull()
    expect((await attachResult(conn, code, holder, null))!.id).not.toBe(copy.id)
  })
})
