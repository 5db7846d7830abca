/**
 * The portal's tables. Migrations under db/migrations are generated from this file by
 * drizzle-kit (`npm run db:generate`); the FTS index and the audit triggers, which drizzle-kit
 * cannot express, are custom migrations beside them.
 */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { FormDefinition, Material, Fee, Step } from '../shared/types/catalogue'

const createdAt = () => text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)

export const departments = sqliteTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
})

export const themes = sqliteTable('themes', {
  code: text('code').primaryKey(),
  audience: text('audience', { enum: ['person', 'organization'] }).notNull(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sort: integer('sort').notNull().default(0),
})

/** The guide elements that are read together and never queried on their own. */
export interface GuideDetails {
  conditions: string[]
  materials: Material[]
  fees: Fee[]
  steps: Step[]
  legalBasis: string[]
  keywords: string[]
}

export const services = sqliteTable('services', {
  code: text('code').primaryKey(),
  basicCode: text('basic_code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  departmentCode: text('department_code').notNull().references(() => departments.code),
  type: text('type', { enum: ['licensing', 'payment', 'confirmation', 'adjudication', 'reward', 'filing', 'other_power', 'public_service'] }).notNull(),
  audience: text('audience', { enum: ['person', 'organization', 'both'] }).notNull(),
  processType: text('process_type', { enum: ['instant', 'promised'] }).notNull(),
  onlineDepth: integer('online_depth').notNull(),
  suitableOnline: integer('suitable_online', { mode: 'boolean' }).notNull(),
  unsuitableReason: text('unsuitable_reason'),
  visits: integer('visits').notNull(),
  visitsReason: text('visits_reason'),
  legalLimitDays: integer('legal_limit_days').notNull(),
  promisedLimitDays: integer('promised_limit_days').notNull(),
  details: text('details', { mode: 'json' }).$type<GuideDetails>().notNull(),
  location: text('location').notNull(),
  hours: text('hours').notNull(),
  consultPhone: text('consult_phone').notNull(),
  complaintPhone: text('complaint_phone').notNull(),
  resultName: text('result_name'),
  /** the licence's English title, for the English pages and the e-licence's English half */
  resultNameEn: text('result_name_en'),
  /** published items are in the catalogue; withdrawn ones keep their open cases workable; a draft was never published */
  status: text('status', { enum: ['draft', 'published', 'withdrawn'] }).notNull().default('published'),
  /** the published form version citizens apply with, if any */
  formVersionId: integer('form_version_id'),
  /** the guide's version, raised by every publication */
  version: integer('version').notNull().default(1),
  /** how many cases were received: "most used services" on the home page */
  useCount: integer('use_count').notNull().default(0),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
}, t => [
  index('services_department_idx').on(t.departmentCode),
  index('services_use_idx').on(t.useCount),
  // Covering indexes (npm run bench): search looks items up by code, and the report counts them
  // by department, without reading the rows, whose guide (details) makes them a kilobyte each.
  // None starts with status: the search must keep the full-text table as the outer loop.
  uniqueIndex('services_summary_idx').on(t.code, t.status, t.departmentCode, t.useCount, t.name, t.nameEn, t.audience, t.onlineDepth, t.processType, t.formVersionId),
  index('services_rates_idx').on(t.departmentCode, t.status, t.suitableOnline, t.onlineDepth, t.formVersionId, t.visits),
  index('services_not_online_idx').on(t.suitableOnline, t.status, t.onlineDepth, t.departmentCode, t.code, t.formVersionId, t.name, t.nameEn),
])

export const serviceThemes = sqliteTable('service_themes', {
  serviceCode: text('service_code').notNull().references(() => services.code),
  themeCode: text('theme_code').notNull().references(() => themes.code),
}, t => [primaryKey({ columns: [t.serviceCode, t.themeCode] }), index('service_themes_theme_idx').on(t.themeCode)])

/** Every published (and draft) form of an item; a case keeps the version it was submitted with. */
export const formVersions = sqliteTable('form_versions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  serviceCode: text('service_code').notNull().references(() => services.code),
  version: integer('version').notNull(),
  definition: text('definition', { mode: 'json' }).$type<FormDefinition>().notNull(),
  status: text('status', { enum: ['draft', 'published', 'superseded'] }).notNull(),
  createdBy: integer('created_by'),
  createdAt: createdAt(),
  publishedBy: integer('published_by'),
  publishedAt: text('published_at'),
}, t => [uniqueIndex('form_versions_service_version_idx').on(t.serviceCode, t.version)])

/** Every published version of a guide, with who published it (issue: catalogue management). */
export const serviceVersions = sqliteTable('service_versions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  serviceCode: text('service_code').notNull(),
  version: integer('version').notNull(),
  guide: text('guide', { mode: 'json' }).notNull(),
  status: text('status', { enum: ['draft', 'published', 'superseded'] }).notNull(),
  createdBy: integer('created_by'),
  createdAt: createdAt(),
  publishedBy: integer('published_by'),
  publishedAt: text('published_at'),
}, t => [uniqueIndex('service_versions_service_version_idx').on(t.serviceCode, t.version)])

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['citizen', 'clerk', 'manager', 'admin', 'auditor'] }).notNull(),
  departmentCode: text('department_code').references(() => departments.code),
  name: text('name').notNull(),
  idNumber: text('id_number'),
  mobile: text('mobile'),
  email: text('email'),
  failedLogins: integer('failed_logins').notNull().default(0),
  /** the last wrong password counted: a count left alone for a day lapses, as a name no account has (accounts.ts) */
  failedLoginAt: text('failed_login_at'),
  lockedUntil: text('locked_until'),
  passwordChangedAt: text('password_changed_at'),
  createdAt: createdAt(),
  /** 注销: when the person closed the account; it no longer signs in, its personal fields are erased, the username stays taken */
  closedAt: text('closed_at'),
  /** 停用: when a staff account was disabled from the console (`npm run user:disable`); it signs in no more until enabled again. Staff only: citizens close their own */
  disabledAt: text('disabled_at'),
  /**
   * 手机号核验: when the person proved the mobile on record is theirs, by a code sent to it (at
   * registration, from the account page, or by a password reset); null until then. Registration
   * alone proves nothing: counter cases, their scans and licences go only to a verified account.
   */
  mobileVerifiedAt: text('mobile_verified_at'),
  /**
   * 回避: a staff member's own ID number, set from the console, so that they cannot decide or take
   * in a case of their own (its applicant's number is theirs). Kept apart from id_number, which
   * is a citizen account's and what registration, password resets and the linking of counter
   * cases look accounts up by: a clerk's staff account must never be found as a citizen.
   */
  staffIdNumber: text('staff_id_number'),
  /**
   * 本行政机关负责人: a clerk who heads their department, set from the console (`npm run user:role --
   * <username> --role clerk --department <code> --head`). Only they extend a case's time limit
   * (行政许可法 第四十二条: 经本行政机关负责人批准), directly or by approving a clerk's request
   * (extension_requests). The few heads are found by department through users_department_heads_idx.
   */
  departmentHead: integer('department_head', { mode: 'boolean' }).notNull().default(false),
}, t => [
  uniqueIndex('users_username_idx').on(sql`lower(${t.username})`),
  index('users_id_number_idx').on(t.idNumber),
  index('users_department_heads_idx').on(t.departmentCode).where(sql`${t.departmentHead} = 1`),
])

/**
 * Codes sent by SMS to the mobile on record to reset a forgotten password (忘记密码): only an
 * HMAC-SHA256 of the code under the row's own random salt is kept, never the code. A code lives
 * 10 minutes and 5 wrong tries; a newer code voids the older ones. Rows go a day after they were
 * made (the hourly retention) and at once when the account is closed (server/services/password-reset.ts).
 */
export const passwordResets = sqliteTable('password_resets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').notNull().references(() => users.id),
  codeHash: text('code_hash').notNull(),
  salt: text('salt').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  /** wrong codes tried against this row; the fifth voids it */
  attempts: integer('attempts').notNull().default(0),
  usedAt: text('used_at'),
  /** set by a newer code for the account, or by the fifth wrong try */
  voidedAt: text('voided_at'),
}, t => [
  // the newest live code of an account, and its codes of the last hour (the hourly cap)
  index('password_resets_user_idx').on(t.userId, t.createdAt),
  // the retention deletes by age
  index('password_resets_created_idx').on(t.createdAt),
])

/**
 * Codes sent by SMS to the mobile on record to prove it is the person's (手机号核验), asked for by a
 * signed-in citizen on "My account". Kept as password_resets are (an HMAC under the row's salt, 10
 * minutes, 5 wrong tries, a newer code voids the older ones, gone after a day or on closing), but in
 * a table of their own: a code sent to verify the mobile must never set a password, nor count
 * against the person's hourly cap of reset codes (server/services/mobile-verification.ts).
 */
export const mobileCodes = sqliteTable('mobile_codes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').notNull().references(() => users.id),
  codeHash: text('code_hash').notNull(),
  salt: text('salt').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  /** wrong codes tried against this row; the fifth voids it */
  attempts: integer('attempts').notNull().default(0),
  usedAt: text('used_at'),
  /** set by a newer code for the account, or by the fifth wrong try */
  voidedAt: text('voided_at'),
}, t => [
  index('mobile_codes_user_idx').on(t.userId, t.createdAt),
  index('mobile_codes_created_idx').on(t.createdAt),
])

/** Organisations a person acts for (法人), identified by their unified social credit code. */
export const organizations = sqliteTable('organizations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').notNull().references(() => users.id),
  name: text('name').notNull(),
  uscc: text('uscc').notNull(),
  createdAt: createdAt(),
}, t => [uniqueIndex('organizations_user_uscc_idx').on(t.userId, t.uscc)])

/**
 * The city's legal-entity base data (法人库): the market entities registered in Shenzhen as the
 * registration authority shares them, loaded on the console (npm run base:entities). An
 * organisation a person adds is checked against it (server/services/legal-entities.ts): its
 * registered name, whether it still exists, and whether the person is its legal representative.
 * The representative's ID number is kept for that comparison only and is never sent out.
 */
export const legalEntities = sqliteTable('legal_entities', {
  uscc: text('uscc').primaryKey(),
  name: text('name').notNull(),
  legalRepresentative: text('legal_representative').notNull(),
  representativeIdNumber: text('representative_id_number'),
  /** active 存续, deregistered 注销, revoked 吊销 */
  status: text('status', { enum: ['active', 'deregistered', 'revoked'] }).notNull(),
  /** the day it was deregistered or its licence revoked; null while active */
  statusDate: text('status_date'),
  updatedAt: text('updated_at').notNull(),
})

/**
 * 延期申请: a clerk's request that the head of the department extend a case's time limit (行政许可法
 * 第四十二条), with the days and the reason the applicant will read. At most one open per case; it is
 * decided by the head (approved: the case's `extend` event, by the head; declined: with why), or
 * goes nowhere once the case can no longer be extended (decided, suspended, its deadline passed).
 */
export const extensionRequests = sqliteTable('extension_requests', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  days: integer('days').notNull(),
  reason: text('reason').notNull(),
  requestedBy: integer('requested_by').notNull().references(() => users.id),
  requestedAt: text('requested_at').notNull(),
  /** null while open */
  outcome: text('outcome', { enum: ['approved', 'declined'] }),
  decidedBy: integer('decided_by').references(() => users.id),
  decidedAt: text('decided_at'),
  /** declined: why, for the clerk who asked */
  declineReason: text('decline_reason'),
}, t => [
  uniqueIndex('extension_requests_open_idx').on(t.caseNo).where(sql`outcome IS NULL`),
  index('extension_requests_case_idx').on(t.caseNo, t.id),
])

/** Server-side sessions: only the SHA-256 of the cookie's token is stored. */
export const sessions = sqliteTable('sessions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  tokenHash: text('token_hash').notNull(),
  userId: integer('user_id').notNull().references(() => users.id),
  createdAt: text('created_at').notNull(),
  lastSeenAt: text('last_seen_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  endedAt: text('ended_at'),
  userAgent: text('user_agent'),
  ip: text('ip'),
}, t => [uniqueIndex('sessions_token_idx').on(t.tokenHash), index('sessions_user_idx').on(t.userId)])

/** Append-only: triggers in the migrations refuse UPDATE and DELETE; rows are HMAC-chained. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  actorId: integer('actor_id'),
  actorRole: text('actor_role'),
  action: text('action').notNull(),
  subject: text('subject'),
  detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  ip: text('ip'),
  hmac: text('hmac').notNull(),
}, t => [
  index('audit_action_idx').on(t.action),
  index('audit_actor_idx').on(t.actorId),
  // auditors look the log up by day; the log grows by a row for every decision
  index('audit_at_idx').on(t.at),
  // a case's page asks whether its applicant was already asked for a rating (ratings.ts)
  index('audit_rating_prompt_idx').on(t.subject).where(sql`action = 'rating.prompt'`),
])

export const uploads = sqliteTable('uploads', {
  id: text('id').primaryKey(),
  ownerId: integer('owner_id').notNull().references(() => users.id),
  name: text('name').notNull(),
  size: integer('size').notNull(),
  mime: text('mime').notNull(),
  sha256: text('sha256').notNull(),
  storedName: text('stored_name').notNull(),
  createdAt: createdAt(),
}, t => [index('uploads_owner_idx').on(t.ownerId)])

/** Applications while they are drafts; submission turns one into a case. */
export const applications = sqliteTable('applications', {
  id: text('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  serviceCode: text('service_code').notNull().references(() => services.code),
  formVersionId: integer('form_version_id').notNull().references(() => formVersions.id),
  organizationId: integer('organization_id').references(() => organizations.id),
  answers: text('answers', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: ['draft', 'submitted'] }).notNull().default('draft'),
  caseNo: text('case_no'),
  createdAt: createdAt(),
  updatedAt: text('updated_at').notNull(),
}, t => [
  index('applications_user_idx').on(t.userId, t.status),
  // only the drafts-cleanup reads it, and only for drafts: a submission leaves it instead of moving in it
  index('applications_updated_idx').on(t.updatedAt).where(sql`${t.status} = 'draft'`),
  // an organisation's applications (closing an account keeps an organisation some application
  // names; the foreign key's own check on deleting one); a person's application is not in it
  index('applications_organization_idx').on(t.organizationId).where(sql`organization_id IS NOT NULL`),
])

export const cases = sqliteTable('cases', {
  caseNo: text('case_no').primaryKey(),
  applicationId: text('application_id'),
  serviceCode: text('service_code').notNull().references(() => services.code),
  departmentCode: text('department_code').notNull().references(() => departments.code),
  formVersionId: integer('form_version_id').references(() => formVersions.id),
  applicantId: integer('applicant_id').references(() => users.id),
  organizationId: integer('organization_id').references(() => organizations.id),
  applicantName: text('applicant_name').notNull(),
  applicantIdNumber: text('applicant_id_number').notNull(),
  applicantMobile: text('applicant_mobile'),
  channel: text('channel', { enum: ['online', 'counter'] }).notNull(),
  status: text('status', { enum: ['submitted', 'supplement', 'accepted', 'suspended', 'approved', 'rejected', 'not_accepted', 'withdrawn'] }).notNull(),
  version: integer('version').notNull().default(1),
  processType: text('process_type', { enum: ['instant', 'promised'] }).notNull(),
  /**
   * As the applicant was told when the case was received, never the live catalogue's: the guide
   * version (services.version; its materials are what a one-time notice may ask for, from
   * service_versions once a later version is published) and its promised and legal limits in
   * working days (the handling deadline on acceptance). receiveCase writes them; null only in rows
   * written otherwise (the benchmark's), which fall back to the item as it is now.
   */
  guideVersion: integer('guide_version'),
  promisedLimitDays: integer('promised_limit_days'),
  legalLimitDays: integer('legal_limit_days'),
  answers: text('answers', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** Asia/Shanghai calendar day the case was received */
  receivedDate: text('received_date').notNull(),
  submittedAt: text('submitted_at').notNull(),
  /** the deadline in force: for acceptance while submitted, for handling once accepted */
  deadline: text('deadline').notNull(),
  acceptedAt: text('accepted_at'),
  completedAt: text('completed_at'),
  completedDate: text('completed_date'),
  /**
   * Working days from receipt to completion, fixed with the calendar of the day of completion, so a
   * holiday entered later does not change a finished case's figure (daily-counts.ts recounts from it).
   */
  handlingDays: integer('handling_days'),
  /**
   * The acceptance decision (accept, refuse, or an instant item approved on the spot): the
   * Asia/Shanghai day it was made, and 1 when that was after the acceptance deadline, 0 in time;
   * both null before it. A late one is taken as made on the day of receipt (行政许可法 第三十二条:
   * the handling deadline counts from there, services/transitions.ts); this records that it was late.
   */
  acceptanceDate: text('acceptance_date'),
  acceptedLate: integer('accepted_late'),
  /** working days spent suspended, which do not count towards the limit */
  suspendedDays: integer('suspended_days').notNull().default(0),
  suspendedSince: text('suspended_since'),
  /**
   * 延期: the days the handling limit was extended by, once, with the reason in the case's events
   * (行政许可法 第四十二条); in the unit of the case's limit (working days, or natural days for a
   * legal limit counted so). 0: never extended.
   */
  extendedDays: integer('extended_days').notNull().default(0),
  /**
   * The day the handling period is counted from, set when acceptance takes effect: the day of
   * acceptance, or for an acceptance decided too late the day the materials were received
   * (行政许可法 第三十二条, services/transitions.ts). Null before acceptance, and on cases accepted
   * before it was recorded, which count from the day of their accept event (deadline-periods.ts, casePeriod).
   */
  handlingFrom: text('handling_from'),
  /** 一次性告知: what the applicant must supply, while in supplement */
  supplementNotice: text('supplement_notice', { mode: 'json' }).$type<{ fields: string[], materials: string[], comment: string }>(),
  createdBy: integer('created_by'),
}, t => [
  index('cases_applicant_idx').on(t.applicantId, t.submittedAt),
  index('cases_dept_queue_idx').on(t.departmentCode, t.status, t.deadline),
  index('cases_dept_deadline_idx').on(t.departmentCode, t.deadline),
  index('cases_received_idx').on(t.receivedDate, t.departmentCode, t.channel),
  index('cases_status_deadline_idx').on(t.status, t.deadline),
  // an organisation's cases, as for applications; a person's case (most) is not in it
  index('cases_organization_idx').on(t.organizationId).where(sql`organization_id IS NOT NULL`),
  // Every index here is written by every submission, so each one serves a query the portal runs:
  // none on the applicant's ID number (tracking and revealing have the case number too) or on the
  // completion day (the reports read case_daily; a recount of completions goes by status).
])

/** Case numbers are issued per day: SZ + date + sequence. */
export const caseSequences = sqliteTable('case_sequences', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
})

export const caseEvents = sqliteTable('case_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  at: text('at').notNull(),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  actorId: integer('actor_id'),
  actorRole: text('actor_role').notNull(),
  comment: text('comment'),
  /**
   * A return's one-time notice (一次性告知) as JSON `{ fields, materials }` (the fields with the
   * uploads of the materials): what it asked for stays on record after the resubmission clears
   * cases.supplement_notice, for the rule that a later notice of the same stage asks for nothing new
   * (transitions.ts). Null for other events, and for a return whose notice was not recorded
   * (before migration 0035, unless the audit log kept it).
   */
  notice: text('notice'),
  /**
   * The deadline the event set, where it set one (an acceptance's handling deadline, an
   * extension's new one): its written document states it (case-documents.ts). Null otherwise, and
   * on events recorded before migration 0037.
   */
  deadline: text('deadline'),
}, t => [index('case_events_case_idx').on(t.caseNo, t.id)])

/** Materials attached to a case, and whether they came from the shared library. */
export const caseMaterials = sqliteTable('case_materials', {
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  uploadId: text('upload_id').notNull().references(() => uploads.id),
  fieldKey: text('field_key').notNull(),
  source: text('source', { enum: ['upload', 'shared'] }).notNull(),
}, t => [primaryKey({ columns: [t.caseNo, t.uploadId, t.fieldKey] }), index('case_materials_upload_idx').on(t.uploadId)])

/**
 * 收件材料: the paper materials a clerk took in at the counter, ticked by name against the guide the
 * case was received under (cases.guide_version). Scans are in case_materials; the paper was
 * recorded nowhere, so the dated written receipt the Administrative Licensing Law (art. 32) asks
 * for could not say what was handed in. Rows are written in the guide's order and read by rowid.
 */
export const casePaperMaterials = sqliteTable('case_paper_materials', {
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  name: text('name').notNull(),
}, t => [primaryKey({ columns: [t.caseNo, t.name] })])

/**
 * 补正记录: what each round of corrections replaced. A resubmission rewrites the case's answers and
 * its materials; without this, a file or an answer handed in during one round and replaced in the
 * next was named nowhere (the application keeps only the first submission, a counter case has
 * none), and the applicant could delete the file. One row per resubmission (its event), with the
 * answers as they stood before it.
 */
export const caseCorrections = sqliteTable('case_corrections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  /** the resubmit event that made the correction */
  eventId: integer('event_id').notNull().references(() => caseEvents.id),
  at: text('at').notNull(),
  previousAnswers: text('previous_answers').notNull(),
}, t => [index('case_corrections_case_idx').on(t.caseNo, t.id)])

/** The materials a correction took off the case: still part of its record, so never deleted. */
export const caseSupersededMaterials = sqliteTable('case_superseded_materials', {
  correctionId: integer('correction_id').notNull().references(() => caseCorrections.id),
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  uploadId: text('upload_id').notNull().references(() => uploads.id),
  fieldKey: text('field_key').notNull(),
  source: text('source', { enum: ['upload', 'shared'] }).notNull(),
}, t => [primaryKey({ columns: [t.correctionId, t.uploadId, t.fieldKey] }), index('case_superseded_materials_upload_idx').on(t.uploadId)])

/**
 * Codes sent by SMS to the mobile recorded on a case (cases.applicant_mobile), the way through the
 * daily lock of public tracking for the applicant: five wrong ID numbers from anyone lock a case
 * number for the day, the right pair too, and a counter applicant without an account had no other
 * way to follow the case (server/services/track-unlock.ts). Kept as password_resets are (an HMAC
 * under the row's salt, 10 minutes, 5 wrong tries, 3 an hour, a newer code voids the older ones,
 * gone after a day), but owned by the case, not an account.
 */
export const trackCodes = sqliteTable('track_codes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseNo: text('case_no').notNull().references(() => cases.caseNo, { onDelete: 'cascade' }),
  codeHash: text('code_hash').notNull(),
  salt: text('salt').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  /** wrong codes tried against this row; the fifth voids it */
  attempts: integer('attempts').notNull().default(0),
  usedAt: text('used_at'),
  /** set by a newer code for the case, or by the fifth wrong try */
  voidedAt: text('voided_at'),
}, t => [
  // the newest live code of a case, and its codes of the last hour (the hourly cap)
  index('track_codes_case_idx').on(t.caseNo, t.createdAt),
  // the retention deletes by age
  index('track_codes_created_idx').on(t.createdAt),
])

/**
 * Counter intakes by the key their page sent (Idempotency-Key): when the answer to an intake is
 * lost (a timeout, a dropped connection) the page sends the same request again, and gets the case
 * already made instead of a second one. Kept a day (INTAKE_KEY_HOURS in server/services/counter.ts).
 */
export const counterIntakeKeys = sqliteTable('counter_intake_keys', {
  clerkId: integer('clerk_id').notNull().references(() => users.id),
  key: text('key').notNull(),
  /** SHA-256 of the request's canonical JSON: the same key with another request is refused */
  fingerprint: text('fingerprint').notNull(),
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  createdAt: text('created_at').notNull(),
}, t => [primaryKey({ columns: [t.clerkId, t.key] }), index('counter_intake_keys_created_idx').on(t.createdAt)])

/** Holidays and adjusted working days beyond the built-in 2025–2026 calendar. */
export const calendarDays = sqliteTable('calendar_days', {
  date: text('date').primaryKey(),
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  note: text('note'),
})

/**
 * One-time recounts of the open deadlines stored on an older calendar (server/services/
 * calendar-recount.ts), one row each: the instant the calendar in force changed (a deadline last
 * set before it was counted on the older one), how far the recount has gone (case numbers and
 * rectification ids, in order) and when it finished; null while it still has to run.
 */
export const deadlineRecounts = sqliteTable('deadline_recounts', {
  name: text('name').primaryKey(),
  since: text('since').notNull(),
  caseAfter: text('case_after').notNull().default(''),
  rectificationAfter: integer('rectification_after').notNull().default(0),
  doneAt: text('done_at'),
})

/** In-app messages to applicants. */
export const messages = sqliteTable('messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').notNull().references(() => users.id),
  caseNo: text('case_no'),
  at: text('at').notNull(),
  kind: text('kind').notNull(),
  params: text('params', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
  readAt: text('read_at'),
}, t => [index('messages_user_idx').on(t.userId, t.id)])

/** Notifications to send (SMS, e-mail), written in the same transaction as the change. */
export const outbox = sqliteTable('outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  dedupeKey: text('dedupe_key').notNull(),
  channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
  recipient: text('recipient').notNull(),
  template: text('template').notNull(),
  params: text('params', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
  createdAt: text('created_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: text('next_attempt_at').notNull(),
  lastError: text('last_error'),
  sentAt: text('sent_at'),
  /**
   * A code's SMS only: 1 when it was asked for an owner who had proved the number theirs (a
   * verified account's password reset, the tracking unlock of a case whose applicant's account
   * verified it). Such codes have a daily allowance of their own (server/services/sms-codes.ts).
   */
  provenNumber: integer('proven_number', { mode: 'boolean' }).notNull().default(false),
}, t => [
  uniqueIndex('outbox_dedupe_idx').on(t.dedupeKey),
  index('outbox_pending_idx').on(t.sentAt, t.nextAttemptAt),
  // the codes a mobile number was sent in the last day, whoever asked (server/services/sms-codes.ts):
  // only the code SMSes, a small part of a table that keeps every notice for months; the list must
  // stay the one sms-codes.ts queries with, or SQLite cannot use the index
  index('outbox_code_recipient_idx').on(t.recipient, t.createdAt)
    .where(sql`template IN ('account.passwordReset', 'account.mobileVerify', 'case.trackCode')`),
])

/** Electronic results (电子证照). */
export const results = sqliteTable('results', {
  code: text('code').primaryKey(),
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  serviceCode: text('service_code').notNull().references(() => services.code),
  /**
   * As issued, never the live catalogue's: the department that approved the case (cases.department_code),
   * the result's name (both languages) and the item's name. A later move or rename of the item leaves the licence as it was.
   */
  departmentCode: text('department_code').notNull().default(''),
  resultName: text('result_name').notNull().default(''),
  resultNameEn: text('result_name_en').notNull().default(''),
  serviceName: text('service_name').notNull().default(''),
  serviceNameEn: text('service_name_en').notNull().default(''),
  /** the account that applied: the holder itself, or the account managing the holding organisation */
  holderId: integer('holder_id').references(() => users.id),
  /** a case made for an organisation (cases.organization_id) yields the organisation's licence, not the applicant's */
  holderKind: text('holder_kind', { enum: ['person', 'organization'] }).notNull().default('person'),
  holderOrgId: integer('holder_org_id').references(() => organizations.id),
  /** as on the licence: the person's name and ID number, or the organisation's name and USCC */
  holderName: text('holder_name').notNull(),
  holderIdNumber: text('holder_id_number').notNull(),
  number: text('number').notNull(),
  issuedAt: text('issued_at').notNull(),
  validUntil: text('valid_until'),
  revokedAt: text('revoked_at'),
  revokeReason: text('revoke_reason'),
  revokedBy: integer('revoked_by'),
  /**
   * The licence that replaced this one (补领, 换领, a new issue of a licence held once: the item's
   * guide says `resultReplacesEarlier`): revoked when that one was issued, in the same transaction.
   */
  supersededBy: text('superseded_by'),
  /** the holder's copy of the e-licence PDF among their uploads, made once when first reused (Article 9) */
  uploadId: text('upload_id').references(() => uploads.id),
}, t => [
  uniqueIndex('results_case_idx').on(t.caseNo),
  index('results_holder_idx').on(t.holderId),
  // every file of an application is looked up by it (a licence's copy: whose, still valid?), so
  // without it each submission scanned every licence the city has issued; most have no copy
  index('results_upload_idx').on(t.uploadId).where(sql`upload_id IS NOT NULL`),
  // "my e-licences" finds a counter case's licence (no account linked) by the holder's ID number
  index('results_unlinked_holder_idx').on(t.holderIdNumber).where(sql`holder_id IS NULL`),
  // an organisation's licences (closing an account keeps an organisation that holds one)
  index('results_holder_org_idx').on(t.holderOrgId).where(sql`holder_org_id IS NOT NULL`),
  // issuing a licence that replaces earlier ones finds the holder's unrevoked licences of its title
  index('results_holder_title_idx').on(t.holderIdNumber, t.resultName).where(sql`revoked_at IS NULL`),
])

/** 好差评 */
export const ratings = sqliteTable('ratings', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseNo: text('case_no').notNull().references(() => cases.caseNo),
  userId: integer('user_id').notNull().references(() => users.id),
  serviceCode: text('service_code').notNull(),
  departmentCode: text('department_code').notNull(),
  score: integer('score').notNull(),
  indicators: text('indicators', { mode: 'json' }).$type<Record<string, number>>().notNull(),
  comment: text('comment'),
  createdAt: text('created_at').notNull(),
}, t => [
  uniqueIndex('ratings_case_idx').on(t.caseNo),
  index('ratings_dept_idx').on(t.departmentCode, t.createdAt),
  // the reports read a period's ratings city-wide; a person's data export reads theirs
  index('ratings_created_idx').on(t.createdAt),
  index('ratings_user_idx').on(t.userId),
])

/** A bad rating (1 or 2) opens a rectification item the department answers within 15 working days. */
export const rectifications = sqliteTable('rectifications', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ratingId: integer('rating_id').notNull().references(() => ratings.id),
  departmentCode: text('department_code').notNull(),
  deadline: text('deadline').notNull(),
  answer: text('answer'),
  answeredAt: text('answered_at'),
  answeredDate: text('answered_date'),
  answeredBy: integer('answered_by'),
}, t => [uniqueIndex('rectifications_rating_idx').on(t.ratingId), index('rectifications_dept_idx').on(t.departmentCode)])

/**
 * Daily case counts per department and channel, kept in the same transaction as every case
 * change, so the yearly report reads a few thousand rows instead of a million cases.
 */
export const caseDaily = sqliteTable('case_daily', {
  day: text('day').notNull(),
  departmentCode: text('department_code').notNull(),
  received: integer('received').notNull().default(0),
  receivedOnline: integer('received_online').notNull().default(0),
  completed: integer('completed').notNull().default(0),
  completedOnTime: integer('completed_on_time').notNull().default(0),
  handlingDays: integer('handling_days').notNull().default(0),
  /** acceptance decisions made that day, and of them those after their deadline */
  acceptanceDecided: integer('acceptance_decided').notNull().default(0),
  acceptanceLate: integer('acceptance_late').notNull().default(0),
  /**
   * of the completions, those whose time limit had been extended (行政许可法 第四十二条): an on-time
   * rate reached by extending is told apart in supervision
   */
  completedExtended: integer('completed_extended').notNull().default(0),
}, t => [primaryKey({ columns: [t.day, t.departmentCode] })])

/**
 * How many cases each department has in each status, kept by triggers on cases (migration
 * 0004), so a clerk's queue counts its tabs without counting a department's whole history.
 */
export const caseStatusCounts = sqliteTable('case_status_counts', {
  departmentCode: text('department_code').notNull(),
  status: text('status').notNull(),
  n: integer('n').notNull().default(0),
}, t => [primaryKey({ columns: [t.departmentCode, t.status] })])

/** One row, raised by triggers on every change to the catalogue but a use count (migration 0005): search results are cached until it moves. */
export const catalogueVersion = sqliteTable('catalogue_version', {
  id: integer('id').primaryKey(),
  v: integer('v').notNull().default(0),
})

/**
 * Wrong sign-ins under a name no usable account has (unknown, closed or disabled), counted and
 * locked as an account's are: were only real accounts locked after five, the lock would tell
 * anyone which names exist (staff ones among them). Keyed by an HMAC of the lower-cased name with
 * the audit key, so a password typed into the name field is not kept readable; rows untouched
 * for a day go (countUnknownNameFailure).
 */
export const unknownNameLogins = sqliteTable('unknown_name_logins', {
  nameKey: text('name_key').primaryKey(),
  failed: integer('failed').notNull().default(0),
  lockedUntil: text('locked_until'),
  updatedAt: text('updated_at').notNull(),
}, t => [index('unknown_name_logins_updated_idx').on(t.updatedAt)])

export type ServiceRow = typeof services.$inferSelect
export type UserRow = typeof users.$inferSelect
export type CaseRow = typeof cases.$inferSelect
export type Role = UserRow['role']
