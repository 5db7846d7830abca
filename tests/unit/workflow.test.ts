import { describe, expect, it } from 'vitest'
import {
  acceptanceOpen, ACTIONS, actorOf, allowedActions, commentRequired, correctionDays, correctionLapsed, extensionDays, isAction, isCompleted, isFinal, isStatus, itemsNotNoticedBefore,
  needsReason, nextStatus, ROLES, STATUSES, TRANSITIONS, type Action, type Status,
} from '../../shared/utils/workflow'
import { PROCESS_TYPES, type FormDefinition, type ProcessType } from '../../shared/types/catalogue'

/**
 * The contract's table, written out cell by cell: status → action → resulting status; and the
 * portal's two additions: extending an accepted case's time limit (延期), which leaves it accepted,
 * and recording a case not corrected in time as withdrawn (逾期未补正，视为撤回).
 */
const CONTRACT: Record<ProcessType, Partial<Record<Status, Partial<Record<Action, Status>>>>> = {
  promised: {
    submitted: { accept: 'accepted', return: 'supplement', refuse: 'not_accepted', withdraw: 'withdrawn' },
    accepted: { return: 'supplement', approve: 'approved', reject: 'rejected', suspend: 'suspended', extend: 'accepted' },
    supplement: { resubmit: 'submitted', withdraw: 'withdrawn', lapse: 'withdrawn' },
    suspended: { resume: 'accepted' },
  },
  instant: {
    submitted: { accept: 'accepted', return: 'supplement', refuse: 'not_accepted', approve: 'approved', withdraw: 'withdrawn' },
    accepted: { return: 'supplement', approve: 'approved', reject: 'rejected', suspend: 'suspended', extend: 'accepted' },
    supplement: { resubmit: 'submitted', withdraw: 'withdrawn', lapse: 'withdrawn' },
    suspended: { resume: 'accepted' },
  },
}
const APPLICANT_ACTIONS: Action[] = ['resubmit', 'withdraw']

const APPLICANT_ID = 'u-citizen'
const DEPT = '11440300MB2C92151Y'

describe('the workflow table', () => {
  it('nextStatus agrees with the contract for every status × action × process type', () => {
    let checked = 0
    for (const pt of PROCESS_TYPES) {
      for (const status of STATUSES) {
        for (const action of ACTIONS) {
          expect(nextStatus(status, action, pt), `${pt} ${status} ${action}`).toBe(CONTRACT[pt][status]?.[action] ?? null)
          checked++
        }
      }
    }
    expect(checked).toBe(2 * 9 * 11)
  })

  it('allowedActions agrees with the contract for every status × role × relation to the case', () => {
    const users = [
      ...ROLES.map(role => ({ label: `${role} of the department`, user: { id: 'u-other', role, departmentCode: DEPT } })),
      { label: 'clerk who heads the department', user: { id: 'u-head', role: 'clerk' as const, departmentCode: DEPT, departmentHead: true } },
      ...ROLES.map(role => ({ label: `${role} of another department`, user: { id: 'u-other', role, departmentCode: 'OTHER' } })),
      ...ROLES.map(role => ({ label: `${role} who applied`, user: { id: APPLICANT_ID, role, departmentCode: null } })),
      { label: 'clerk without a department', user: { id: 'u-other', role: 'clerk' as const, departmentCode: null } },
      { label: 'clerk who applied to their own department', user: { id: APPLICANT_ID, role: 'clerk' as const, departmentCode: DEPT } },
    ]
    let checked = 0
    for (const pt of PROCESS_TYPES) {
      for (const status of STATUSES) {
        const possible = Object.keys(CONTRACT[pt][status] ?? {}) as Action[]
        for (const { label, user } of users) {
          const kase = { status, departmentCode: DEPT, applicantId: APPLICANT_ID, processType: pt, extendable: true, acceptanceOpen: true, correctionLapsed: true }
          let expected: Action[] = []
          // 延期 is the head's (行政许可法 第四十二条: 经本行政机关负责人批准)
          if (user.role === 'clerk' && user.departmentCode === DEPT && user.id !== APPLICANT_ID) expected = possible.filter(a => !APPLICANT_ACTIONS.includes(a) && (a !== 'extend' || ('departmentHead' in user && user.departmentHead)))
          if (user.role === 'citizen' && user.id === APPLICANT_ID) expected = possible.filter(a => APPLICANT_ACTIONS.includes(a))
          expect(new Set(allowedActions(kase, user)), `${pt} ${status} ${label}`).toEqual(new Set(expected))
          checked++
        }
      }
    }
    expect(checked).toBe(2 * 9 * 18)
  })

  it('a clerk sees the accept, return, refuse buttons on a new promised case, in a stable order', () => {
    expect(allowedActions({ status: 'submitted', departmentCode: 'D1', applicantId: 7, processType: 'promised', acceptanceOpen: true }, { id: 1, role: 'clerk', departmentCode: 'D1' }))
      .toEqual(['accept', 'return', 'refuse'])
  })

  it('a counter case without an applicant account: no citizen acts for it, the department\'s clerk records the person\'s resubmission or withdrawal', () => {
    const returned = { status: 'supplement', departmentCode: 'D1', applicantId: null, processType: 'promised' } as const
    expect(allowedActions(returned, { id: 1, role: 'citizen' })).toEqual([])
    expect(allowedActions(returned, { id: 2, role: 'clerk', departmentCode: 'D1' })).toEqual(['resubmit', 'withdraw'])
    expect(allowedActions(returned, { id: 3, role: 'clerk', departmentCode: 'D2' })).toEqual([])
    expect(allowedActions({ ...returned, status: 'submitted', acceptanceOpen: true }, { id: 2, role: 'clerk', departmentCode: 'D1' })).toEqual(['accept', 'return', 'refuse', 'withdraw'])
    // a case with an account: the person acts online, the clerk does not act for them
    expect(allowedActions({ ...returned, applicantId: 7 }, { id: 2, role: 'clerk', departmentCode: 'D1' })).toEqual([])
  })

  it('a case accepted before and resubmitted after corrections is no longer refused acceptance (不予受理)', () => {
    const back = { status: 'submitted', departmentCode: 'D1', applicantId: 7, processType: 'promised', acceptedAt: '2026-03-02T02:00:00.000Z' } as const
    expect(allowedActions(back, { id: 1, role: 'clerk', departmentCode: 'D1' })).toEqual(['accept', 'return'])
    expect(nextStatus('submitted', 'refuse', 'promised', back.acceptedAt)).toBeNull()
    expect(nextStatus('submitted', 'refuse', 'promised', null)).toBe('not_accepted')
    // an instant item approved on the spot was never separately accepted: nothing changes for it
    expect(allowedActions({ ...back, processType: 'instant', acceptedAt: null, acceptanceOpen: true }, { id: 1, role: 'clerk', departmentCode: 'D1' })).toEqual(['accept', 'return', 'refuse', 'approve'])
  })

  it('offers 不予受理 only while the acceptance period runs: after it the case is accepted on receipt by law', () => {
    const clerk = { id: 1, role: 'clerk', departmentCode: 'D1' } as const
    const submitted = { status: 'submitted', departmentCode: 'D1', applicantId: 7, processType: 'promised', acceptedAt: null, deadline: '2026-03-09' } as const
    // its deadline day is still in time; the next day is not, weekend or not
    expect(acceptanceOpen(submitted, '2026-03-09')).toBe(true)
    expect(acceptanceOpen(submitted, '2026-03-10')).toBe(false)
    // only a case waiting for its acceptance decision has an acceptance period
    expect(acceptanceOpen({ ...submitted, acceptedAt: '2026-03-02T02:00:00.000Z' }, '2026-03-03')).toBe(false)
    expect(acceptanceOpen({ ...submitted, status: 'supplement' }, '2026-03-03')).toBe(false)
    const after = (kase: Omit<typeof submitted, 'processType' | 'applicantId'> & { processType: ProcessType, applicantId: number | null }) =>
      allowedActions({ ...kase, acceptanceOpen: acceptanceOpen(kase, '2026-03-10') }, clerk)
    expect(after(submitted)).toEqual(['accept', 'return'])
    // an instant item is then approved on the spot (late) or accepted, as before
    expect(after({ ...submitted, processType: 'instant' })).toEqual(['accept', 'return', 'approve'])
    // a counter case of a person without an account: the clerk still records the person's withdrawal
    expect(after({ ...submitted, applicantId: null })).toEqual(['accept', 'return', 'withdraw'])
    expect(allowedActions({ ...submitted, acceptanceOpen: acceptanceOpen(submitted, '2026-03-09') }, clerk)).toEqual(['accept', 'return', 'refuse'])
    // a caller that does not say is taken to mean the period has passed; the table itself still leads there
    expect(allowedActions(submitted, clerk)).not.toContain('refuse')
    expect(nextStatus('submitted', 'refuse', 'promised')).toBe('not_accepted')
  })

  it('the time limit is extended only while it may be: once, before the deadline passed (延期)', () => {
    const accepted = { status: 'accepted', departmentCode: 'D1', applicantId: 7, processType: 'promised' } as const
    const clerk = { id: 1, role: 'clerk', departmentCode: 'D1', departmentHead: true } as const
    expect(allowedActions({ ...accepted, extendable: true }, clerk)).toEqual(['return', 'approve', 'reject', 'suspend', 'extend'])
    expect(allowedActions({ ...accepted, extendable: false }, clerk)).toEqual(['return', 'approve', 'reject', 'suspend'])
    // a caller that does not say is taken to mean no
    expect(allowedActions(accepted, clerk)).not.toContain('extend')
    // and only by the head of the department (第四十二条); a caller that does not say is not one
    expect(allowedActions({ ...accepted, extendable: true }, { ...clerk, departmentHead: false })).not.toContain('extend')
    expect(allowedActions({ ...accepted, extendable: true }, { id: 1, role: 'clerk', departmentCode: 'D1' })).not.toContain('extend')
    expect(needsReason('extend')).toBe(true)
  })

  it('records a case not corrected in time as withdrawn only once its period to correct has passed (逾期未补正)', () => {
    const returned = { status: 'supplement', departmentCode: 'D1', applicantId: 7, processType: 'promised' } as const
    const clerk = { id: 1, role: 'clerk', departmentCode: 'D1' } as const
    // the last day to correct is still in time; from the next the department may record it
    expect(correctionLapsed({ ...returned, supplementDue: '2026-03-17' }, '2026-03-17')).toBe(false)
    expect(correctionLapsed({ ...returned, supplementDue: '2026-03-17' }, '2026-03-18')).toBe(true)
    // a notice that named no last day never lapses; nor a case no longer waiting for corrections
    expect(correctionLapsed({ ...returned, supplementDue: null }, '2027-01-01')).toBe(false)
    expect(correctionLapsed({ status: 'submitted', supplementDue: '2026-03-17' }, '2026-03-18')).toBe(false)
    expect(allowedActions({ ...returned, correctionLapsed: true }, clerk)).toEqual(['lapse'])
    expect(allowedActions({ ...returned, correctionLapsed: false }, clerk)).toEqual([])
    // the applicant may still correct meanwhile, and never records the lapse
    expect(allowedActions({ ...returned, correctionLapsed: true }, { id: 7, role: 'citizen' })).toEqual(['resubmit', 'withdraw'])
    // a counter case of a person without an account: the clerk records either
    expect(allowedActions({ ...returned, applicantId: null, correctionLapsed: true }, clerk)).toEqual(['resubmit', 'withdraw', 'lapse'])
    expect(needsReason('lapse')).toBe(false)
  })

  it('reads the period to correct as the server judges it', () => {
    expect(correctionDays('10')).toBe(10)
    expect(correctionDays(' ６０ ')).toBe(60)
    expect(correctionDays('')).toBe('validation.required')
    for (const bad of ['0', '61', '2.5', '-1', '十', '1e1']) expect(correctionDays(bad), bad).toBe('case.errors.correctionDays')
  })

  it('reads the days of an extension as the server judges them', () => {
    expect(extensionDays('5')).toBe(5)
    expect(extensionDays(' １０ ')).toBe(10)
    expect(extensionDays('')).toBe('validation.required')
    for (const bad of ['0', '11', '2.5', '-1', '五', '1e1']) expect(extensionDays(bad), bad).toBe('case.errors.extensionDays')
  })

  it('an applicant id of another type never matches (7 is not "7")', () => {
    expect(allowedActions({ status: 'submitted', departmentCode: 'D1', applicantId: 7, processType: 'promised' }, { id: '7', role: 'citizen' })).toEqual([])
  })

  it('no status is reachable from a final status', () => {
    for (const status of STATUSES.filter(isFinal)) {
      for (const pt of PROCESS_TYPES) for (const a of ACTIONS) expect(nextStatus(status, a, pt)).toBeNull()
    }
  })

  it('draft is handled by the application endpoints, not by actions', () => {
    expect(TRANSITIONS.some(t => t.from.includes('draft'))).toBe(false)
  })
})

describe('statuses and actions', () => {
  it('completed means approved or rejected; final adds not accepted and withdrawn', () => {
    expect(STATUSES.filter(isCompleted)).toEqual(['approved', 'rejected'])
    expect(STATUSES.filter(isFinal)).toEqual(['approved', 'rejected', 'not_accepted', 'withdrawn'])
  })

  it('return, refuse and reject need a reason, as the contract says, and so does an extension; a suspension may go without', () => {
    expect(ACTIONS.filter(needsReason)).toEqual(['return', 'refuse', 'reject', 'extend'])
  })

  it('a clerk recording a withdrawal for the applicant writes down the request; the applicant withdrawing online need not', () => {
    expect(ACTIONS.filter(a => commentRequired(a, 'clerk'))).toEqual(['return', 'refuse', 'reject', 'extend', 'withdraw'])
    expect(ACTIONS.filter(a => commentRequired(a, 'citizen'))).toEqual(['return', 'refuse', 'reject', 'extend'])
    // a resubmission the clerk records carries the corrections themselves
    expect(commentRequired('resubmit', 'clerk')).toBe(false)
  })

  it('knows who performs each action', () => {
    expect(ACTIONS.filter(a => actorOf(a) === 'applicant')).toEqual(['resubmit', 'withdraw'])
  })

  it('recognises names from outside', () => {
    expect(isStatus('accepted')).toBe(true)
    expect(isStatus('closed')).toBe(false)
    expect(isAction('approve')).toBe(true)
    expect(isAction('toString')).toBe(false)
    expect(isAction(undefined)).toBe(false)
  })
})

describe('the one-time notice (一次性告知): a later return asks for nothing new', () => {
  const form: FormDefinition = {
    version: 1,
    fields: [
      { key: 'cardBank', type: 'select', label: { zh: '领卡银行', en: 'Bank' }, required: true, options: [] },
      { key: 'collectWay', type: 'select', label: { zh: '领取方式', en: 'Collection' }, required: true, options: [] },
      { key: 'mailAddress', type: 'text', label: { zh: '邮寄地址', en: 'Address' }, required: true, showIf: { field: 'collectWay', equals: 'mail' } },
      { key: 'photoFile', type: 'file', label: { zh: '近期免冠彩色数码照片回执', en: 'Photo receipt' }, required: true },
    ],
  }
  const PHOTO = '近期免冠彩色数码照片回执'
  const none = { fields: [], materials: [] }

  it('lets the first notice of a stage name anything', () => {
    expect(itemsNotNoticedBefore(form, [], { fields: ['cardBank', 'collectWay'], materials: [PHOTO] })).toEqual(none)
  })

  it('lets a later notice ask again for what an earlier one named, and names each new item by its index', () => {
    const earlier = [{ fields: ['cardBank'], materials: [] }]
    expect(itemsNotNoticedBefore(form, earlier, { fields: ['cardBank'], materials: [] })).toEqual(none)
    expect(itemsNotNoticedBefore(form, earlier, { fields: ['cardBank', 'collectWay'], materials: [PHOTO] })).toEqual({ fields: [1], materials: [0] })
    // two earlier notices together (the second within the first)
    expect(itemsNotNoticedBefore(form, [...earlier, { fields: ['cardBank'], materials: [] }], { fields: ['collectWay'], materials: [] })).toEqual({ fields: [0], materials: [] })
  })

  it('takes a material and its upload as one item, either way round', () => {
    // the stored notice lists the material's upload among its fields, as transitions.ts keeps it
    expect(itemsNotNoticedBefore(form, [{ fields: ['photoFile'], materials: [PHOTO] }], { fields: ['photoFile'], materials: [PHOTO] })).toEqual(none)
    // a notice of an older kind, the material without its upload, and one asking for the upload alone
    expect(itemsNotNoticedBefore(form, [{ fields: [], materials: [PHOTO] }], { fields: ['photoFile'], materials: [] })).toEqual(none)
    expect(itemsNotNoticedBefore(form, [{ fields: ['photoFile'], materials: [] }], { fields: [], materials: [PHOTO] })).toEqual(none)
  })

  it('lets it ask about an answer the correction brought up, but nothing a notice with a reason only did not name', () => {
    // collection changed to mail: the address the correction had to give may be wrong in turn
    expect(itemsNotNoticedBefore(form, [{ fields: ['collectWay'], materials: [] }], { fields: ['mailAddress'], materials: [] })).toEqual(none)
    expect(itemsNotNoticedBefore(form, [{ fields: ['mailAddress'], materials: [] }], { fields: ['collectWay'], materials: [] })).toEqual({ fields: [0], materials: [] })
    // an earlier notice with a reason only asked for nothing: anything named now is new; a reason only again names nothing
    expect(itemsNotNoticedBefore(form, [none], { fields: ['cardBank'], materials: [PHOTO] })).toEqual({ fields: [0], materials: [0] })
    expect(itemsNotNoticedBefore(form, [none], none)).toEqual(none)
  })
})
