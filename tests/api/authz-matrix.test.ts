/**
 * Who may do what, as a table: every role (and no session) against every endpoint, with its own
 * and a foreign object. The expected answers are read from each handler's declared policy and
 * the contract; a foreign object reads as absent (404); nothing answers 2xx unexpectedly. A new
 * route file fails the coverage check until it is added here.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { answersFor, CLERK2_SERVICE, CLERK_SERVICE, createDraft, demoPerson, getCase, RESULT_SERVICE, routeFiles, submitOnline, syntheticIdNumber, uniquePdf, upload } from '../support/fixtures'
import { fileForm } from '../support/files'
import { useTestServer } from '../support/server'
import { makeUscc } from '../../shared/utils/uscc'

// every role looks up one case with a wrong ID number: more failures than a day's lock allows
const t = useTestServer({ env: { OUTBOX_INTERVAL_SECONDS: '0', BACKUP_INTERVAL_HOURS: '0', TRACK_FAILURES_PER_DAY: '1000' } })

const ROLES = ['anonymous', 'citizen', 'citizen2', 'clerk', 'clerk2', 'manager', 'admin', 'auditor'] as const
type RoleName = typeof ROLES[number]
/** An exact status, a set of acceptable ones, or null: not asked in this row. */
type Expected = number | readonly number[] | null

/** The answers of one row in ROLES order: anonymous, citizen, citizen2, clerk, clerk2, manager, admin, auditor. */
function r(...s: Expected[]): Record<RoleName, Expected> {
  if (s.length !== ROLES.length) throw new Error('one answer per role')
  return Object.fromEntries(ROLES.map((role, i) => [role, s[i]!])) as Record<RoleName, Expected>
}
const all = (s: Expected) => r(s, s, s, s, s, s, s, s)
const signedIn = (s: Expected) => r(401, s, s, s, s, s, s, s)

interface Fixtures {
  caseNo: string, case2No: string, draftId: string, draftToDelete: string, uploadId: string
  approvedNo: string, resultCode: string, rectificationId: number, messageId: number, spareSessionId: number
  organizationToRemove: number, approvalDocumentId: number, caseVersion: number
}

interface Row {
  /** the route file, as `METHOD /api/path/[param]` */
  route: string
  what: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: (f: Fixtures) => string
  body?: (f: Fixtures) => unknown
  expect: Record<RoleName, Expected>
  headers?: Record<string, string>
}

const STALE = { action: 'accept', version: 999 }
/** A name no account has, new at each sign-in: five wrong ones under one name lock it, as an account's would. */
let unknownNames = 0
/** Valid details of nobody registered: a password reset for them sends nothing. */
const NOBODY = { idNumber: syntheticIdNumber(9999), mobile: '13500000001' }

const ROWS: Row[] = [
  // public reading
  { route: 'GET /api/health', what: 'health', method: 'GET', path: () => '/api/health', expect: all(200) },
  { route: 'GET /api/bench/ping', what: 'ping', method: 'GET', path: () => '/api/bench/ping', expect: all(200) },
  { route: 'GET /api/departments', what: 'departments', method: 'GET', path: () => '/api/departments', expect: all(200) },
  { route: 'GET /api/themes', what: 'themes', method: 'GET', path: () => '/api/themes', expect: all(200) },
  { route: 'GET /api/search-suggestions', what: 'items close to a search that found nothing', method: 'GET', path: () => '/api/search-suggestions?q=%E7%A4%BE%E4%BF%9D%E5%8D%A1%E7%94%B3%E9%A2%86', expect: all(200) },
  { route: 'GET /api/preferences/large-text', what: 'large-text switch without JavaScript', method: 'GET', path: () => '/api/preferences/large-text?on=1&back=/services', expect: all(303) },
  { route: 'GET /api/home', what: 'home', method: 'GET', path: () => '/api/home', expect: all(200) },
  { route: 'GET /api/services', what: 'catalogue', method: 'GET', path: () => '/api/services?q=社保', expect: all(200) },
  { route: 'GET /api/services/[code]', what: 'a guide', method: 'GET', path: () => `/api/services/${CLERK_SERVICE}`, expect: all(200) },
  { route: 'GET /api/services/[code]', what: 'an unknown guide', method: 'GET', path: () => '/api/services/NOPE-0000', expect: all(404) },
  { route: 'GET /api/open/catalogue', what: 'open catalogue', method: 'GET', path: () => '/api/open/catalogue', expect: all(200) },
  { route: 'GET /api/open/rates', what: 'open rates', method: 'GET', path: () => '/api/open/rates', expect: all(200) },
  { route: 'GET /api/calendar/days', what: 'calendar', method: 'GET', path: () => '/api/calendar/days?year=2026', expect: all(200) },
  { route: 'GET /api/calendar/deadline', what: 'deadline', method: 'GET', path: () => '/api/calendar/deadline?from=2026-01-05&days=5', expect: all(200) },
  { route: 'GET /api/track', what: 'tracking with the right pair', method: 'GET', path: f => `/api/track?caseNo=${f.caseNo}&idNumber=${demoPerson('citizen').idNumber}`, expect: all(200) },
  { route: 'GET /api/track', what: 'tracking with another person\'s ID number', method: 'GET', path: f => `/api/track?caseNo=${f.caseNo}&idNumber=${demoPerson('citizen2').idNumber}`, expect: all(404) },
  { route: 'POST /api/track', what: 'tracking with the right pair in the body', method: 'POST', path: () => '/api/track', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen').idNumber }), expect: all(200) },
  { route: 'POST /api/track', what: 'tracking with another person\'s ID number in the body', method: 'POST', path: () => '/api/track', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen2').idNumber }), expect: all(404) },
  { route: 'POST /api/track', what: 'tracking from another site', method: 'POST', path: () => '/api/track', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen').idNumber }), headers: { origin: 'https://evil.example' }, expect: all(403) },
  { route: 'POST /api/track/code', what: 'a tracking code for the right pair', method: 'POST', path: () => '/api/track/code', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen').idNumber }), expect: all(202) },
  { route: 'POST /api/track/code', what: 'a tracking code for another person\'s ID number', method: 'POST', path: () => '/api/track/code', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen2').idNumber }), expect: all(202) },
  { route: 'POST /api/track/code', what: 'a tracking code asked from another site', method: 'POST', path: () => '/api/track/code', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen').idNumber }), headers: { origin: 'https://evil.example' }, expect: all(403) },
  { route: 'POST /api/track/unlock', what: 'tracking with a code never sent', method: 'POST', path: () => '/api/track/unlock', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen2').idNumber, code: '123456' }), expect: all(404) },
  { route: 'POST /api/track/unlock', what: 'tracking with a malformed code', method: 'POST', path: () => '/api/track/unlock', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen').idNumber, code: '12ab' }), expect: all(400) },
  { route: 'POST /api/track/unlock', what: 'tracking with a code from another site', method: 'POST', path: () => '/api/track/unlock', body: f => ({ caseNo: f.caseNo, idNumber: demoPerson('citizen').idNumber, code: '123456' }), headers: { origin: 'https://evil.example' }, expect: all(403) },
  { route: 'GET /api/verify/[code]', what: 'verification', method: 'GET', path: f => `/api/verify/${f.resultCode}`, expect: all(200) },
  // accounts
  { route: 'POST /api/auth/login', what: 'unknown account', method: 'POST', path: () => '/api/auth/login', body: () => ({ username: `nobody-here-${++unknownNames}`, password: 'not-the-password' }), expect: all(401) },
  { route: 'POST /api/auth/register', what: 'empty registration', method: 'POST', path: () => '/api/auth/register', body: () => ({}), expect: all(400) },
  // the same answer for everyone, and for details that match nobody (nothing is sent)
  { route: 'POST /api/auth/password-reset/request', what: 'a reset code for nobody', method: 'POST', path: () => '/api/auth/password-reset/request', body: () => NOBODY, expect: all(202) },
  { route: 'POST /api/auth/password-reset/confirm', what: 'a reset code for nobody', method: 'POST', path: () => '/api/auth/password-reset/confirm', body: () => ({ ...NOBODY, code: '123456', newPassword: 'a sentence nobody will use' }), expect: all(400) },
  { route: 'GET /api/auth/me', what: 'me', method: 'GET', path: () => '/api/auth/me', expect: signedIn(200) },
  { route: 'GET /api/me/profile', what: 'profile', method: 'GET', path: () => '/api/me/profile', expect: signedIn(200) },
  { route: 'GET /api/me/sessions', what: 'sessions', method: 'GET', path: () => '/api/me/sessions', expect: signedIn(200) },
  { route: 'DELETE /api/me/sessions/[id]', what: 'citizen\'s other session', method: 'DELETE', path: f => `/api/me/sessions/${f.spareSessionId}`, expect: r(401, 200, 404, 404, 404, 404, 404, 404) },
  // a new password refused before the current one is checked: no scrypt per role, nothing changes
  { route: 'POST /api/me/password', what: 'a too short new password', method: 'POST', path: () => '/api/me/password', body: () => ({ currentPassword: 'not-my-password', newPassword: 'short' }), expect: signedIn(400) },
  // personal data (PIPL): refused before the password is checked, so no demo account is locked or closed
  { route: 'POST /api/me/data-export', what: 'a download without the password', method: 'POST', path: () => '/api/me/data-export', body: () => ({}), expect: r(401, 400, 400, 403, 403, 403, 403, 403) },
  { route: 'POST /api/me/close', what: 'closing without the password', method: 'POST', path: () => '/api/me/close', body: () => ({ confirm: true }), expect: r(401, 400, 400, 403, 403, 403, 403, 403) },
  { route: 'POST /api/me/close', what: 'closing from another site', method: 'POST', path: () => '/api/me/close', body: () => ({ confirm: true }), headers: { origin: 'https://evil.example' }, expect: all(403) },
  // the demo citizens' mobiles are verified at seed (a 409 sends nothing); staff have none to verify
  { route: 'POST /api/me/mobile/verification', what: 'a code to a verified mobile', method: 'POST', path: () => '/api/me/mobile/verification', body: () => ({}), expect: r(401, 409, 409, 403, 403, 403, 403, 403) },
  { route: 'POST /api/me/mobile/verification', what: 'a code asked from another site', method: 'POST', path: () => '/api/me/mobile/verification', body: () => ({}), headers: { origin: 'https://evil.example' }, expect: all(403) },
  { route: 'POST /api/me/mobile/verification/confirm', what: 'a code for a verified mobile', method: 'POST', path: () => '/api/me/mobile/verification/confirm', body: () => ({ code: '123456' }), expect: r(401, 409, 409, 403, 403, 403, 403, 403) },
  { route: 'POST /api/me/mobile/verification/confirm', what: 'a malformed code', method: 'POST', path: () => '/api/me/mobile/verification/confirm', body: () => ({ code: '12ab' }), expect: r(401, 400, 400, 403, 403, 403, 403, 403) },
  { route: 'GET /api/me/messages', what: 'messages', method: 'GET', path: () => '/api/me/messages', expect: signedIn(200) },
  { route: 'POST /api/me/messages/read-all', what: 'all of one\'s messages', method: 'POST', path: () => '/api/me/messages/read-all', expect: signedIn(200) },
  { route: 'POST /api/me/messages/[id]/read', what: 'citizen\'s message', method: 'POST', path: f => `/api/me/messages/${f.messageId}/read`, expect: r(401, 200, 404, 404, 404, 404, 404, 404) },
  { route: 'GET /api/me/organizations', what: 'organisations', method: 'GET', path: () => '/api/me/organizations', expect: r(401, 200, 200, 403, 403, 403, 403, 403) },
  { route: 'DELETE /api/me/organizations/[id]', what: 'citizen\'s organisation no record names', method: 'DELETE', path: f => `/api/me/organizations/${f.organizationToRemove}`, expect: r(401, 204, 404, 403, 403, 403, 403, 403) },
  { route: 'POST /api/me/organizations', what: 'empty organisation', method: 'POST', path: () => '/api/me/organizations', body: () => ({}), expect: r(401, 400, 400, 403, 403, 403, 403, 403) },
  { route: 'GET /api/me/materials', what: 'my materials', method: 'GET', path: () => '/api/me/materials', expect: r(401, 200, 200, 200, 200, 403, 403, 403) },
  { route: 'GET /api/me/results', what: 'my e-licences', method: 'GET', path: () => '/api/me/results', expect: r(401, 200, 200, 403, 403, 403, 403, 403) },
  { route: 'GET /api/me/shared-materials', what: 'shared materials', method: 'GET', path: () => '/api/me/shared-materials', expect: r(401, 200, 200, 403, 403, 403, 403, 403) },
  { route: 'POST /api/me/shared-materials/results/[code]/attach', what: 'citizen\'s e-licence', method: 'POST', path: f => `/api/me/shared-materials/results/${f.resultCode}/attach`, expect: r(401, 200, 404, 403, 403, 403, 403, 403) },
  // applications and uploads
  { route: 'GET /api/applications', what: 'my applications', method: 'GET', path: () => '/api/applications', expect: r(401, 200, 200, 403, 403, 403, 403, 403) },
  { route: 'POST /api/applications', what: 'a draft with an unknown answer', method: 'POST', path: () => '/api/applications', body: () => ({ serviceCode: CLERK_SERVICE, answers: { bogus: 1 } }), expect: r(401, 400, 400, 403, 403, 403, 403, 403) },
  { route: 'POST /api/applications', what: 'a draft from another site', method: 'POST', path: () => '/api/applications', body: () => ({ serviceCode: CLERK_SERVICE, answers: {} }), headers: { origin: 'https://evil.example' }, expect: all(403) },
  { route: 'GET /api/applications/prefill', what: 'prefill', method: 'GET', path: () => `/api/applications/prefill?serviceCode=${CLERK_SERVICE}`, expect: r(401, 200, 200, 403, 403, 403, 403, 403) },
  { route: 'GET /api/applications/[id]', what: 'citizen\'s draft', method: 'GET', path: f => `/api/applications/${f.draftId}`, expect: r(401, 200, 404, 403, 403, 403, 403, 403) },
  { route: 'PUT /api/applications/[id]', what: 'citizen\'s draft', method: 'PUT', path: f => `/api/applications/${f.draftId}`, body: () => ({ answers: {} }), expect: r(401, 200, 404, 403, 403, 403, 403, 403) },
  { route: 'POST /api/applications/[id]/submit', what: 'citizen\'s incomplete draft', method: 'POST', path: f => `/api/applications/${f.draftId}/submit`, expect: r(401, 400, 404, 403, 403, 403, 403, 403) },
  { route: 'DELETE /api/applications/[id]', what: 'citizen\'s draft', method: 'DELETE', path: f => `/api/applications/${f.draftToDelete}`, expect: r(401, 204, 404, 403, 403, 403, 403, 403) },
  { route: 'POST /api/uploads', what: 'a PDF', method: 'POST', path: () => '/api/uploads', body: () => fileForm(uniquePdf('matrix'), 'scan.pdf'), expect: r(401, 201, 201, 201, 201, 403, 403, 403) },
  { route: 'GET /api/uploads/[id]', what: 'citizen\'s file in a case of clerk\'s department', method: 'GET', path: f => `/api/uploads/${f.uploadId}`, expect: r(401, 200, 404, 200, 404, 200, 404, 404) },
  { route: 'DELETE /api/uploads/[id]', what: 'citizen\'s file in a case', method: 'DELETE', path: f => `/api/uploads/${f.uploadId}`, expect: r(401, 409, 404, 404, 404, 403, 403, 403) },
  // cases
  { route: 'GET /api/cases', what: 'case lists', method: 'GET', path: () => '/api/cases', expect: r(401, 200, 200, 200, 200, 200, 200, 200) },
  { route: 'GET /api/cases/[caseNo]', what: 'citizen\'s case (clerk\'s department)', method: 'GET', path: f => `/api/cases/${f.caseNo}`, expect: r(401, 200, 404, 200, 404, 200, 403, 403) },
  { route: 'GET /api/cases/[caseNo]', what: 'citizen2\'s case (clerk2\'s department)', method: 'GET', path: f => `/api/cases/${f.case2No}`, expect: r(401, 404, 200, 404, 200, 200, 403, 403) },
  { route: 'POST /api/cases/[caseNo]/transitions', what: 'stale accept of citizen\'s case', method: 'POST', path: f => `/api/cases/${f.caseNo}/transitions`, body: () => STALE, expect: r(401, 409, 404, 409, 404, 403, 403, 403) },
  { route: 'POST /api/cases/[caseNo]/transitions', what: 'stale accept of citizen2\'s case', method: 'POST', path: f => `/api/cases/${f.case2No}/transitions`, body: () => STALE, expect: r(401, 404, 409, 404, 409, 403, 403, 403) },
  // 延期申请: asked by a clerk of the department, decided by its head (neither demo clerk heads one: 403 from the service)
  { route: 'POST /api/cases/[caseNo]/extension-request', what: 'stale request to extend citizen\'s case', method: 'POST', path: f => `/api/cases/${f.caseNo}/extension-request`, body: () => ({ days: 5, comment: '需组织专家评审', version: 999 }), expect: r(401, 403, 403, 409, 404, 403, 403, 403) },
  { route: 'POST /api/cases/[caseNo]/extension-decision', what: 'deciding a request on citizen\'s case', method: 'POST', path: f => `/api/cases/${f.caseNo}/extension-decision`, body: f => ({ request: 1, approve: true, version: f.caseVersion }), expect: r(401, 403, 403, 403, 404, 403, 403, 403) },
  { route: 'GET /api/extension-requests', what: 'the head\'s requests to decide', method: 'GET', path: () => '/api/extension-requests', expect: r(401, 403, 403, 403, 403, 403, 403, 403) },
  { route: 'POST /api/cases/[caseNo]/reveal', what: 'citizen\'s ID number', method: 'POST', path: f => `/api/cases/${f.caseNo}/reveal`, expect: r(401, 403, 403, 200, 404, 403, 403, 403) },
  { route: 'GET /api/cases/[caseNo]/receipt', what: 'the receipt of citizen\'s case (clerk\'s department)', method: 'GET', path: f => `/api/cases/${f.caseNo}/receipt`, expect: r(401, 403, 403, 200, 404, 200, 403, 403) },
  { route: 'POST /api/counter-cases', what: 'an empty counter case', method: 'POST', path: () => '/api/counter-cases', body: () => ({}), expect: r(401, 403, 403, 400, 400, 403, 403, 403) },
  { route: 'GET /api/cases/[caseNo]/documents/[id]', what: 'the decision on citizen\'s approved case', method: 'GET', path: f => `/api/cases/${f.approvedNo}/documents/${f.approvalDocumentId}`, expect: r(401, 200, 404, 200, 404, 200, 403, 403) },
  { route: 'GET /api/cases/[caseNo]/documents/[id]', what: 'that document asked of another case', method: 'GET', path: f => `/api/cases/${f.case2No}/documents/${f.approvalDocumentId}`, expect: r(401, 404, 404, 404, 404, 404, 403, 403) },
  { route: 'GET /api/cases/[caseNo]/rating', what: 'the rating of citizen\'s approved case', method: 'GET', path: f => `/api/cases/${f.approvedNo}/rating`, expect: r(401, 200, 404, 200, 404, 200, 403, 403) },
  { route: 'POST /api/cases/[caseNo]/rating', what: 'rating citizen\'s case again', method: 'POST', path: f => `/api/cases/${f.approvedNo}/rating`, body: () => ({ score: 5 }), expect: r(401, 409, 404, 403, 403, 403, 403, 403) },
  { route: 'POST /api/cases/[caseNo]/rating-prompt', what: 'asking for a rating of a rated case', method: 'POST', path: f => `/api/cases/${f.approvedNo}/rating-prompt`, expect: r(401, 403, 403, 409, 404, 403, 403, 403) },
  { route: 'GET /api/results/[code]', what: 'citizen\'s e-licence', method: 'GET', path: f => `/api/results/${f.resultCode}`, expect: r(401, 200, 404, 200, 404, 200, 403, 403) },
  { route: 'GET /api/results/[code]/pdf', what: 'citizen\'s e-licence PDF', method: 'GET', path: f => `/api/results/${f.resultCode}/pdf`, expect: r(401, 200, 404, 200, 404, 200, 403, 403) },
  { route: 'GET /api/results/[code]/qr.svg', what: 'citizen\'s e-licence QR', method: 'GET', path: f => `/api/results/${f.resultCode}/qr.svg`, expect: r(401, 200, 404, 200, 404, 200, 403, 403) },
  { route: 'POST /api/results/[code]/revoke', what: 'revoking without a reason', method: 'POST', path: f => `/api/results/${f.resultCode}/revoke`, body: () => ({}), expect: r(401, 403, 403, 400, [400, 404], 403, 403, 403) },
  { route: 'GET /api/rectifications', what: 'rectifications', method: 'GET', path: () => '/api/rectifications', expect: r(401, 403, 403, 200, 200, 200, 403, 403) },
  { route: 'POST /api/rectifications/[id]/answer', what: 'an empty answer', method: 'POST', path: f => `/api/rectifications/${f.rectificationId}/answer`, body: () => ({ answer: '' }), expect: r(401, 403, 403, 400, [400, 404], 403, 403, 403) },
  { route: 'POST /api/rectifications/[id]/answer', what: 'clerk2 answering clerk\'s item', method: 'POST', path: f => `/api/rectifications/${f.rectificationId}/answer`, body: () => ({ answer: '已整改' }), expect: r(null, null, null, null, 404, null, null, null) },
  // supervision and reports
  // the demo citizen's company (db/seed/legal-entities.ts), and a valid code nobody registered
  { route: 'GET /api/legal-entities/[uscc]', what: 'legal-entity look-up at the counter', method: 'GET', path: () => `/api/legal-entities/${makeUscc('91440300MA5R00001')}`, expect: r(401, 403, 403, 200, 200, 200, 200, 403) },
  { route: 'GET /api/legal-entities/[uscc]', what: 'legal-entity look-up, not registered', method: 'GET', path: () => `/api/legal-entities/${makeUscc('91440300MA5RX0001')}`, expect: r(401, 403, 403, 404, 404, 404, 404, 403) },
  { route: 'GET /api/supervision', what: 'supervision', method: 'GET', path: () => '/api/supervision', expect: r(401, 403, 403, 403, 403, 200, 403, 403) },
  { route: 'GET /api/reports/online-rate', what: 'the report', method: 'GET', path: () => '/api/reports/online-rate', expect: r(401, 403, 403, 200, 200, 200, 403, 403) },
  { route: 'GET /api/reports/online-rate', what: 'another department\'s report', method: 'GET', path: () => '/api/reports/online-rate?dept=SZGA', expect: r(401, 403, 403, 403, 200, 200, 403, 403) },
  { route: 'GET /api/reports/satisfaction', what: 'satisfaction', method: 'GET', path: () => '/api/reports/satisfaction', expect: r(401, 403, 403, 200, 200, 200, 403, 403) },
  // administration
  { route: 'GET /api/audit', what: 'audit log', method: 'GET', path: () => '/api/audit', expect: r(401, 403, 403, 403, 403, 403, 403, 200) },
  { route: 'GET /api/audit/verify', what: 'audit chain', method: 'GET', path: () => '/api/audit/verify', expect: r(401, 403, 403, 403, 403, 403, 403, 200) },
  { route: 'PUT /api/calendar/days', what: 'a malformed calendar change', method: 'PUT', path: () => '/api/calendar/days', body: () => ({ add: 'x' }), expect: r(401, 403, 403, 403, 403, 403, 400, 403) },
  { route: 'GET /api/manage/catalogue/export', what: 'export', method: 'GET', path: () => '/api/manage/catalogue/export', expect: r(401, 403, 403, 403, 403, 403, 200, 403) },
  { route: 'POST /api/manage/catalogue/import', what: 'a malformed import', method: 'POST', path: () => '/api/manage/catalogue/import?dryRun=1', body: () => ({ services: 'not a list' }), expect: r(401, 403, 403, 403, 403, 403, 400, 403) },
  { route: 'GET /api/manage/services', what: 'managed items', method: 'GET', path: () => '/api/manage/services', expect: r(401, 403, 403, 200, 200, 403, 200, 403) },
  { route: 'POST /api/manage/services', what: 'an empty item', method: 'POST', path: () => '/api/manage/services', body: () => ({}), expect: r(401, 403, 403, 400, 400, 403, 400, 403) },
  { route: 'GET /api/manage/services/[code]', what: 'clerk\'s department\'s item', method: 'GET', path: () => `/api/manage/services/${CLERK_SERVICE}`, expect: r(401, 403, 403, 200, [403, 404], 403, 200, 403) },
  { route: 'PUT /api/manage/services/[code]/draft', what: 'an empty guide draft', method: 'PUT', path: () => `/api/manage/services/${CLERK_SERVICE}/draft`, body: () => ({}), expect: r(401, 403, 403, 400, [400, 403, 404], 403, 400, 403) },
  { route: 'PUT /api/manage/services/[code]/form-draft', what: 'a malformed form draft', method: 'PUT', path: () => `/api/manage/services/${CLERK_SERVICE}/form-draft`, body: () => ({}), expect: r(401, 403, 403, 400, 400, 403, 400, 403) },
  ...(['form-publish', 'publish', 'restore', 'withdraw'] as const).flatMap((action): Row[] => [
    { route: `POST /api/manage/services/[code]/${action}`, what: 'an unknown item', method: 'POST', path: () => `/api/manage/services/NOPE-0000/${action}`, expect: r(401, 403, 403, 404, 404, 403, 404, 403) },
    { route: `POST /api/manage/services/[code]/${action}`, what: 'another department\'s item', method: 'POST', path: () => `/api/manage/services/${CLERK2_SERVICE}/${action}`, expect: r(null, null, null, [403, 404], null, null, null, null) },
  ]),
  { route: 'POST /api/auth/keepalive', what: 'staying signed in', method: 'POST', path: () => '/api/auth/keepalive', expect: signedIn(200) },
  // last: it ends the sessions the rows above used
  { route: 'POST /api/auth/logout', what: 'signing out', method: 'POST', path: () => '/api/auth/logout', expect: signedIn(200) },
  { route: 'GET /api/auth/me', what: 'me after signing out', method: 'GET', path: () => '/api/auth/me', expect: all(401) },
]

const sessions = {} as Record<RoleName, Client>
const fixtures = {} as Fixtures

async function signIn(role: RoleName): Promise<Client> {
  const c = new Client(t.url)
  return role === 'anonymous' ? c : c.login(role)
}

beforeAll(async () => {
  for (const role of ROLES) sessions[role] = await signIn(role)
  const { citizen, citizen2, clerk } = sessions
  const me = demoPerson('citizen')
  const submitted = await submitOnline(citizen, me, CLERK_SERVICE, 'matrix-own')
  fixtures.caseNo = submitted.caseNo
  fixtures.caseVersion = (await getCase(clerk, submitted.caseNo)).version
  fixtures.uploadId = submitted.upload.id
  fixtures.case2No = (await submitOnline(citizen2, demoPerson('citizen2'), CLERK2_SERVICE, 'matrix-foreign')).caseNo
  fixtures.draftId = (await createDraft(citizen, CLERK_SERVICE)).id
  fixtures.draftToDelete = (await createDraft(citizen, CLERK_SERVICE, answersFor(CLERK_SERVICE, me, [(await upload(citizen, uniquePdf('matrix-draft'))).id]))).id
  // an approved case with an e-licence, rated badly so that a rectification item opens
  const draft = await createDraft(citizen, RESULT_SERVICE, answersFor(RESULT_SERVICE, me, []))
  fixtures.approvedNo = (await citizen.post<{ caseNo: string }>(`/api/applications/${draft.id}/submit`)).body.caseNo
  for (const action of ['accept', 'approve']) {
    const { version } = await getCase(clerk, fixtures.approvedNo)
    const moved = await clerk.post(`/api/cases/${fixtures.approvedNo}/transitions`, { action, version })
    if (moved.status !== 200) throw new Error(`${action}: ${moved.status} ${JSON.stringify(moved.body)}`)
  }
  const approved = await citizen.get<{ result: { code: string } | null, events: { id: number, document?: string }[] }>(`/api/cases/${fixtures.approvedNo}`)
  fixtures.resultCode = approved.body.result!.code
  fixtures.approvalDocumentId = approved.body.events.find(e => e.document === 'approval')!.id
  const rated = await citizen.post(`/api/cases/${fixtures.approvedNo}/rating`, { score: 1, comment: '等了太久' })
  if (rated.status !== 201) throw new Error(`rating: ${rated.status} ${JSON.stringify(rated.body)}`)
  const rects = await clerk.get<{ items: { id: number }[] }>('/api/rectifications')
  fixtures.rectificationId = rects.body.items[0]!.id
  const messages = await citizen.get<{ items: { id: number }[] }>('/api/me/messages')
  fixtures.messageId = messages.body.items[0]!.id
  const org = await citizen.post<{ id: number }>('/api/me/organizations', { name: '矩阵测试单位', uscc: makeUscc('91440300MA5MTX001') })
  if (org.status !== 201) throw new Error(`organisation: ${org.status} ${JSON.stringify(org.body)}`)
  fixtures.organizationToRemove = org.body.id
  const spare = await new Client(t.url).login('citizen')
  const list = await spare.get<{ id: number, current: boolean }[]>('/api/me/sessions')
  fixtures.spareSessionId = list.body.find(s => s.current)!.id
})

describe('authorization matrix', () => {
  it('lists every route file under server/api', () => {
    const covered = new Set(ROWS.map(row => row.route))
    expect(routeFiles().length).toBeGreaterThan(50)
    expect(routeFiles().filter(route => !covered.has(route))).toEqual([])
  })

  it('answers every role exactly as the table says, and never 2xx where it should not', async () => {
    const surprises: string[] = []
    for (const row of ROWS) {
      for (const role of ROLES) {
        const expected = row.expect[role]
        if (expected === null) continue
        const res = await sessions[role].request(row.method, row.path(fixtures), row.body?.(fixtures), row.headers)
        const ok = typeof expected === 'number' ? res.status === expected : expected.includes(res.status)
        if (!ok) surprises.push(`${row.route} (${row.what}) as ${role}: ${res.status}, expected ${JSON.stringify(expected)} ${JSON.stringify(res.body).slice(0, 160)}`)
      }
    }
    expect(surprises).toEqual([])
  }, 150_000) // some 500 requests one after another; CI shares two cores with the other test files
})
