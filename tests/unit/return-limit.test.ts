/**
 * The clerk's return form offers only what the one-time notice (一次性告知) lets a return ask for:
 * the case detail a clerk reads says which items those are (returnLimitedTo), and every item it
 * offers the server accepts on a return, every other one it refuses as not noticed before.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import type { Connection } from '../../db/client'
import { receiveCase } from '../../server/services/case-intake'
import { CaseError } from '../../server/services/case-errors'
import { caseDetail, findVisibleCase } from '../../server/services/case-views'
import { receiveCounterCase } from '../../server/services/counter'
import { applyTransition } from '../../server/services/transitions'
import type { TransitionInput } from '../../server/services/transitions'
import { materialFileField } from '../../shared/utils/corrections'
import { visibleFields } from '../../shared/utils/form-schema'
import { returnOffer } from '../../shared/utils/return-offer'
import { makeUscc } from '../../shared/utils/uscc'
import { freshDatabase, userIdOf } from '../support/db'
import { CITIZEN, receiveOnline } from '../support/online-cases'

const PHOTO = '近期免冠彩色数码照片回执'
/** SZRS-0004's form has no upload for it: the department takes it from the e-licence library, or the counter on paper */
const ID_CARD = '居民身份证'
/** someone without an account, who applies at the counter */
const ZHAO = { name: '赵秀英', idNumber: '11010519491231002X', mobile: '13912345678' }
/** 10:00 in Shenzhen on a day. */
const at = (day: string) => new Date(`${day}T02:00:00Z`)

type Viewer = { id: number, role: string, departmentCode: string | null }
let conn: Connection
let citizen: Viewer
let clerk: Viewer
let manager: Viewer

/** The citizen applies online for a social security card (SZRS-0004) on Mon 2 Mar 2026: acceptance due Mon 9 Mar. */
const applyOnline = () => receiveOnline(conn, citizen.id, at('2026-03-02'))

/** 赵秀英 applies for the card at the counter on Mon 2 Mar 2026, handing in her ID card on paper. */
function applyAtCounter(): string {
  return writeTransaction(conn, () => receiveCounterCase(conn, {
    serviceCode: 'SZRS-0004', applicant: ZHAO, answers: { cardBank: 'icbc', collectWay: 'branch' }, paperMaterials: [ID_CARD], clerk,
  }, at('2026-03-02'))).caseNo
}

const versionOf = (caseNo: string) => (conn.sqlite.prepare('SELECT version FROM cases WHERE case_no = ?').get(caseNo) as { version: number }).version

function act(caseNo: string, by: Viewer, action: TransitionInput['action'], day: string, extra: Partial<TransitionInput> = {}) {
  return applyTransition(conn, { caseNo, action, version: versionOf(caseNo), user: by as TransitionInput['user'], now: at(day), ...extra })
}

const returnFor = (caseNo: string, day: string, fields: string[], materials: string[] = []) =>
  act(caseNo, clerk, 'return', day, { comment: '请补正', supplement: { fields, materials } })

/** The case's page as `viewer` opens it on `day`. */
const detailOn = (caseNo: string, day: string, viewer = clerk) => caseDetail(conn, findVisibleCase(conn, caseNo, viewer)!, viewer, at(day))

const ROLLED_BACK = new Error('rolled back')

/** What the server says to a return naming these items on `day`, the case left as it was: null when it would give it. */
function refusalOf(caseNo: string, day: string, supplement: { fields: string[], materials: string[] }, by = clerk): Record<string, string> | null {
  try {
    conn.sqlite.transaction(() => {
      act(caseNo, by, 'return', day, { comment: '请补正', supplement })
      throw ROLLED_BACK
    })()
  }
  catch (e) {
    if (e === ROLLED_BACK) return null
    if (e instanceof CaseError) return e.data?.fieldErrors ?? {}
    throw e
  }
  throw new Error('unreachable')
}

/**
 * Every item the return form could offer on `day` (the answers the case's answers show, the
 * materials with an upload among them), each put to the server alone: the ones it accepts.
 */
function acceptedAlone(caseNo: string, day: string): { fields: string[], materials: string[] } {
  const kase = detailOn(caseNo, day)
  const answers = JSON.parse(findVisibleCase(conn, caseNo, clerk)!.answers) as Record<string, unknown>
  const keys = new Set(visibleFields(kase.form!, answers).map(f => f.key))
  const online = kase.serviceMaterials.map(m => m.name).filter(m => keys.has(materialFileField(kase.form, m)?.key ?? ''))
  return {
    fields: [...keys].filter(f => refusalOf(caseNo, day, { fields: [f], materials: [] }) === null),
    materials: online.filter(m => refusalOf(caseNo, day, { fields: [], materials: [m] }) === null),
  }
}

beforeEach(() => {
  conn = freshDatabase()
  citizen = { id: userIdOf(conn, 'citizen'), role: 'citizen', departmentCode: null }
  clerk = { id: userIdOf(conn, 'clerk'), role: 'clerk', departmentCode: 'SZRS' }
  manager = { id: userIdOf(conn, 'manager'), role: 'manager', departmentCode: null }
})

describe('the clerk\'s return form is told what the one-time notice lets it ask for', () => {
  it('limits nothing before the first notice of a stage, and says nothing to a citizen or a manager', () => {
    const caseNo = applyOnline()
    expect(detailOn(caseNo, '2026-03-03').returnLimitedTo).toBeNull()
    returnFor(caseNo, '2026-03-03', ['cardBank'])
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } })
    expect(detailOn(caseNo, '2026-03-05', citizen).returnLimitedTo ?? null).toBeNull()
    expect(detailOn(caseNo, '2026-03-05', manager).returnLimitedTo ?? null).toBeNull()
    expect(detailOn(caseNo, '2026-03-05').returnLimitedTo).not.toBeNull()
  })

  it('after a notice, names what it asked for and what its correction brought up, dated by that notice: exactly what the server accepts', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['collectWay'])
    // collection changed to post: the address it brings up may be wrong in turn
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { collectWay: 'mail', mailAddress: '深圳市福田区福中三路1号' } })
    const limit = detailOn(caseNo, '2026-03-05').returnLimitedTo!
    expect(limit).toEqual({ fields: ['collectWay', 'mailAddress'], materials: [], noticedAt: at('2026-03-03').toISOString() })
    expect(acceptedAlone(caseNo, '2026-03-05')).toEqual({ fields: limit.fields, materials: limit.materials })
    // a field not named is refused as the rule says, the limit said so before sending
    expect(refusalOf(caseNo, '2026-03-05', { fields: ['cardBank'], materials: [] })).toEqual({ 'supplement.fields.0': 'case.errors.oneTimeNotice' })
  })

  it('takes a material and its upload as one item, and keeps the first notice\'s date through a second', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'], [PHOTO])
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb', digitalPhotoReceiptFile: [newUpload()] } })
    returnFor(caseNo, '2026-03-05', [], [PHOTO])
    act(caseNo, citizen, 'resubmit', '2026-03-06', { answers: { digitalPhotoReceiptFile: [newUpload()] } })
    const limit = detailOn(caseNo, '2026-03-06').returnLimitedTo!
    expect(limit).toEqual({ fields: ['cardBank', 'digitalPhotoReceiptFile'], materials: [PHOTO], noticedAt: at('2026-03-03').toISOString() })
    expect(acceptedAlone(caseNo, '2026-03-06')).toEqual({ fields: ['cardBank', 'digitalPhotoReceiptFile'], materials: [PHOTO] })
  })

  it('after a notice with a reason only, names nothing: no return may follow in the stage', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', [])
    act(caseNo, citizen, 'resubmit', '2026-03-04')
    expect(detailOn(caseNo, '2026-03-05').returnLimitedTo).toMatchObject({ fields: [], materials: [] })
    expect(acceptedAlone(caseNo, '2026-03-05')).toEqual({ fields: [], materials: [] })
    expect(refusalOf(caseNo, '2026-03-05', { fields: [], materials: [] })).toEqual({ supplement: 'case.errors.oneTimeNoticeNothing' })
  })

  it('starts again from acceptance, and limits nothing when the return would be the late acceptance', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'])
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } }) // acceptance due Wed 11 Mar
    expect(detailOn(caseNo, '2026-03-11').returnLimitedTo).toMatchObject({ fields: ['cardBank'] })
    // on Thu 12 Mar the acceptance period has run out: a return now opens the stage after it
    expect(detailOn(caseNo, '2026-03-12').returnLimitedTo).toBeNull()
    expect(refusalOf(caseNo, '2026-03-12', { fields: ['collectWay'], materials: [] })).toBeNull()

    act(caseNo, clerk, 'accept', '2026-03-11')
    expect(detailOn(caseNo, '2026-03-12').returnLimitedTo).toBeNull()
    returnFor(caseNo, '2026-03-12', ['collectWay'])
    act(caseNo, citizen, 'resubmit', '2026-03-13', { answers: { collectWay: 'mail', mailAddress: '深圳市福田区福中三路1号' } })
    expect(detailOn(caseNo, '2026-03-16').returnLimitedTo).toEqual({ fields: ['collectWay', 'mailAddress'], materials: [], noticedAt: at('2026-03-12').toISOString() })
    expect(acceptedAlone(caseNo, '2026-03-16')).toEqual({ fields: ['collectWay', 'mailAddress'], materials: [] })
  })

  it('limits nothing when a notice of the stage was given before notices were kept', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'])
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } })
    conn.sqlite.prepare(`UPDATE case_events SET notice = NULL WHERE case_no = ? AND action = 'return'`).run(caseNo)
    expect(detailOn(caseNo, '2026-03-05').returnLimitedTo).toBeNull()
  })
})

function newUpload(): string {
  const id = `up-${Math.random().toString(36).slice(2, 10)}`
  conn.sqlite.prepare(`INSERT INTO uploads (id, owner_id, name, size, mime, sha256, stored_name) VALUES (?, ?, 'photo.jpg', 1000, 'image/jpeg', 'x', ?)`).run(id, citizen.id, id)
  return id
}

/**
 * The return form's lists on `day` (returnOffer, as the component draws them) for `viewer`, and
 * the refusals the server gives each offered item put to it alone: none, when the two agree.
 */
function offerOn(caseNo: string, day: string, viewer = clerk) {
  const offer = returnOffer(detailOn(caseNo, day, viewer))
  const refusals = [
    ...offer.fields.map(f => refusalOf(caseNo, day, { fields: [f.key], materials: [] }, viewer)),
    ...offer.materials.map(m => refusalOf(caseNo, day, { fields: [], materials: [m.name] }, viewer)),
  ].filter(r => r !== null)
  return { fields: offer.fields.map(f => f.key), materials: offer.materials, notOnline: offer.notOnline, heldLeftOut: offer.heldLeftOut, refusals }
}

describe('the return form offers what the server takes: the applicant\'s own answers and paper brought to the counter', () => {
  const held = { 'supplement.fields.0': 'case.errors.fieldHeldToApplicant' }

  it('leaves out a person\'s own name, ID number and mobile, which the server refuses, and names the paper-only material apart', () => {
    const caseNo = applyOnline()
    expect(offerOn(caseNo, '2026-03-03')).toEqual({
      fields: ['cardBank', 'collectWay'], materials: [{ name: PHOTO, index: 1, paper: false }], notOnline: [ID_CARD], heldLeftOut: true, refusals: [],
    })
    for (const key of ['name', 'idNumber', 'mobile']) expect(refusalOf(caseNo, '2026-03-03', { fields: [key], materials: [] })).toEqual(held)
    expect(refusalOf(caseNo, '2026-03-03', { fields: [], materials: [ID_CARD] })).toEqual({ 'supplement.materials.0': 'case.errors.materialNotOnline' })
  })

  it('offers a counter case\'s paper material, marked as such, and after a notice naming it that material alone', () => {
    const caseNo = applyAtCounter()
    expect(offerOn(caseNo, '2026-03-03')).toEqual({
      fields: ['cardBank', 'collectWay'], materials: [{ name: ID_CARD, index: 0, paper: true }, { name: PHOTO, index: 1, paper: false }],
      notOnline: [], heldLeftOut: true, refusals: [],
    })
    expect(refusalOf(caseNo, '2026-03-03', { fields: ['name'], materials: [] })).toEqual(held)
    returnFor(caseNo, '2026-03-03', [], [ID_CARD])
    // brought to the counter: the clerk records the resubmission
    act(caseNo, clerk, 'resubmit', '2026-03-04')
    expect(detailOn(caseNo, '2026-03-05').returnLimitedTo).toEqual({ fields: [], materials: [ID_CARD], noticedAt: at('2026-03-03').toISOString() })
    expect(offerOn(caseNo, '2026-03-05')).toEqual({ fields: [], materials: [{ name: ID_CARD, index: 0, paper: true }], notOnline: [], heldLeftOut: true, refusals: [] })
    expect(refusalOf(caseNo, '2026-03-05', { fields: [], materials: [PHOTO] })).toEqual({ 'supplement.materials.0': 'case.errors.oneTimeNotice' })
  })

  it('leaves the name out of the limit where a notice from before the rule named it', () => {
    const caseNo = applyOnline()
    returnFor(caseNo, '2026-03-03', ['cardBank'])
    conn.sqlite.prepare(`UPDATE case_events SET notice = json_set(notice, '$.fields', json('["cardBank","name"]')) WHERE case_no = ? AND action = 'return'`).run(caseNo)
    act(caseNo, citizen, 'resubmit', '2026-03-04', { answers: { cardBank: 'ccb' } })
    expect(detailOn(caseNo, '2026-03-05').returnLimitedTo).toMatchObject({ fields: ['cardBank'], materials: [] })
    expect(offerOn(caseNo, '2026-03-05')).toMatchObject({ fields: ['cardBank'], materials: [], refusals: [] })
    expect(refusalOf(caseNo, '2026-03-05', { fields: ['name'], materials: [] })).toEqual(held)
  })

  it('offers an organisation\'s contact name and mobile, which the server takes', () => {
    const sj = { id: Number(conn.sqlite.prepare(`INSERT INTO users (username, password_hash, role, department_code, name) VALUES ('clerk-sj', 'x', 'clerk', 'SZSJ', '市场监管受理员')`).run().lastInsertRowid), role: 'clerk', departmentCode: 'SZSJ' }
    const uscc = makeUscc('91440300MA5G12345')
    const org = Number(conn.sqlite.prepare(`INSERT INTO organizations (user_id, name, uscc) VALUES (?, '深圳市甲公司', ?)`).run(citizen.id, uscc).lastInsertRowid)
    const fv = conn.sqlite.prepare(`SELECT form_version_id AS id FROM services WHERE code = 'SZSJ-0003'`).get() as { id: number }
    const resolution = newUpload()
    const caseNo = writeTransaction(conn, () => receiveCase(conn, {
      serviceCode: 'SZSJ-0003', channel: 'online', formVersionId: fv.id,
      applicant: { userId: citizen.id, organizationId: org, ...CITIZEN },
      answers: {
        orgName: '深圳市甲公司', orgCode: uscc, contactName: CITIZEN.name, contactMobile: CITIZEN.mobile,
        changeItem: 'address', newValue: '深圳市南山区科技园', resolutionDate: '2026-02-20', shareholdersResolutionFile: [resolution],
      },
      materials: [{ uploadId: resolution, fieldKey: 'shareholdersResolutionFile', source: 'upload' }], actor: { id: citizen.id, role: 'citizen' },
    }, at('2026-03-02'))).caseNo
    const offer = offerOn(caseNo, '2026-03-03', sj)
    expect(offer.fields).toEqual(expect.arrayContaining(['contactName', 'contactMobile']))
    expect(offer).toMatchObject({ heldLeftOut: false, refusals: [] })
  })
})
