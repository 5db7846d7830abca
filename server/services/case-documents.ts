/**
 * 文书: the written instruments a department issues on a case, which the Administrative Licensing
 * Law asks for in writing: the notice of acceptance or the decision not to accept (第三十二条), the
 * one-time notice of corrections (第三十二条第四项), the decision to grant or not (第三十四、三十八条),
 * the notice of an extension (第四十二条) and of a suspension (第四十五条). Each is one event of the
 * case read as a document, so nothing is stored twice: its number is the case number and its
 * place among the case's documents, its date the event's, its text the reason the clerk gave.
 *
 * The applicant prints theirs from their case page; a clerk prints one for an applicant without an
 * account, who was served at the counter. Numbers are masked on it as on the case page.
 */
import type { Connection } from '../../db/client'
import type { CaseDocument, CaseDocumentKind, DocumentNoticeItems, SupplementNotice } from '../../shared/types/case'
import { materialFileField, materialsOnPaper } from '../../shared/utils/corrections'
import { maskIdNumber, maskName, maskPersonalNumbers } from '../../shared/utils/mask'
import type { Suspension } from '../../shared/utils/workflow'
import { caseItemAsReceived } from './case-guide'
import type { CaseDbRow, CaseViewer } from './case-views'
import { formVersionDefinition } from './stored-forms'

/** The actions that issue a document, and which. */
export const DOCUMENT_OF_ACTION: Readonly<Record<string, CaseDocumentKind>> = {
  accept: 'acceptance',
  refuse: 'refusal',
  return: 'corrections',
  approve: 'approval',
  reject: 'rejection',
  extend: 'extension',
  suspend: 'suspension',
}

/** The SQL list of those actions, for queries over case_events. */
const DOCUMENT_ACTIONS_SQL = Object.keys(DOCUMENT_OF_ACTION).map(a => `'${a}'`).join(', ')

/** `SZ20261128000042-02`: the case's number and the document's place among the case's documents, from 01. */
export function documentNumber(caseNo: string, ordinal: number): string {
  return `${caseNo}-${String(ordinal).padStart(2, '0')}`
}

interface EventRow {
  id: number
  at: string
  action: string
  actorId: number | null
  comment: string | null
  notice: string | null
  deadline: string | null
}

/** The events of a case that issued a document, oldest first: `id` and `kind` for the case page's history. */
export function documentEvents(conn: Connection, caseNo: string): { id: number, kind: CaseDocumentKind }[] {
  const rows = conn.sqlite.prepare(`SELECT id, action FROM case_events WHERE case_no = ? AND action IN (${DOCUMENT_ACTIONS_SQL}) ORDER BY id`)
    .all(caseNo) as { id: number, action: string }[]
  return rows.map(r => ({ id: r.id, kind: DOCUMENT_OF_ACTION[r.action]! }))
}

/**
 * The document an event of this case issued, as this viewer may read it, or undefined when the
 * event is not the case's or issued none. The caller has found the case visible to the viewer.
 */
export function caseDocument(conn: Connection, row: CaseDbRow, eventId: number, viewer: CaseViewer): CaseDocument | undefined {
  const events = documentEvents(conn, row.caseNo)
  const ordinal = events.findIndex(e => e.id === eventId) + 1
  if (ordinal === 0) return undefined
  const kind = events[ordinal - 1]!.kind
  const e = conn.sqlite.prepare(`SELECT id, at, action, actor_id AS actorId, comment, notice, deadline FROM case_events WHERE id = ?`).get(eventId) as EventRow
  const dept = conn.sqlite.prepare('SELECT name, name_en AS nameEn FROM departments WHERE code = ?').get(row.departmentCode) as { name: string, nameEn: string }
  // titled by the item as the case was received: a guide edited since does not retitle a decision
  const item = caseItemAsReceived(conn, row.caseNo)
  const organization = row.organizationId === null
    ? null
    : conn.sqlite.prepare('SELECT name, uscc FROM organizations WHERE id = ?').get(row.organizationId) as { name: string, uscc: string } | undefined ?? null
  const notice = e.notice ? JSON.parse(e.notice) as { fields?: string[], materials?: string[], due?: string, suspension?: Suspension, extension?: { approvedBy: string } } : {}
  // as on the case page: the applicant, whose case it is, and the clerk who wrote it read the
  // reason whole; other staff with ID and mobile numbers typed into it masked
  const reason = e.comment === null ? null : (viewer.role === 'citizen' || e.actorId === viewer.id ? e.comment : maskPersonalNumbers(e.comment))
  return {
    id: e.id,
    kind,
    number: documentNumber(row.caseNo, ordinal),
    issuedAt: e.at,
    caseNo: row.caseNo,
    channel: row.channel,
    receivedDate: row.receivedDate,
    service: { code: row.serviceCode, ...item },
    department: { code: row.departmentCode, ...dept },
    applicant: { name: row.applicantName, idNumberMasked: maskIdNumber(row.applicantIdNumber) },
    organization,
    reason,
    // a notice of corrections: the last day to correct it gave (none on notices given before periods were)
    deadline: kind === 'acceptance' || kind === 'extension' ? e.deadline : kind === 'corrections' ? notice.due ?? null : null,
    // who approved it is the department's own record, for its staff and managers
    ...(kind === 'extension' && { extension: { days: row.extendedDays, ...(STAFF.has(viewer.role) && notice.extension && { approvedBy: notice.extension.approvedBy }) } }),
    ...(kind === 'suspension' && notice.suspension && { suspension: notice.suspension }),
    ...(kind === 'corrections' && {
      items: noticeItems(conn, row.formVersionId, { fields: notice.fields ?? [], materials: notice.materials ?? [] }),
      // corrections asked for once the case was accepted: its materials were found complete, so the
      // notice says what the examination needs instead (and cites no article on acceptance)
      afterAcceptance: events.slice(0, ordinal - 1).some(d => d.kind === 'acceptance'),
    }),
    ...(kind === 'approval' && resultOf(conn, row.caseNo)),
  }
}

/** Who reads a document as tracking shows it: nobody known, so nothing is shown whole to them. */
const PUBLIC_READER: CaseViewer = { id: 0, role: 'public', departmentCode: null }
const STAFF: ReadonlySet<string> = new Set(['clerk', 'manager'])

/**
 * The documents of a case as public tracking shows them, by event id: an applicant served at the
 * counter, who may have no account, reads and prints the notices there. Whoever holds the pair of
 * case number and ID number is not known to be the applicant, so the applicant's name is masked
 * (赵**), numbers typed into a reason are masked, the organisation is left out, and an approval
 * does not give the e-licence's code, which opens the licence to anyone (it is handed to its holder).
 */
export function trackedDocuments(conn: Connection, row: CaseDbRow): Map<number, CaseDocument> {
  const documents = new Map<number, CaseDocument>()
  for (const { id } of documentEvents(conn, row.caseNo)) {
    const doc = caseDocument(conn, row, id, PUBLIC_READER)!
    const { resultCode: _issued, resultHolderKind: _holder, ...shown } = doc
    // a sole trader's shop is often named after its owner: no organisation on a tracked copy
    documents.set(id, { ...shown, organization: null, applicant: { ...doc.applicant, name: maskName(doc.applicant.name) } })
  }
  return documents
}

/**
 * What a one-time notice asks for, by names only: the labels of the form's answers to correct (the
 * upload of a material asked for is named once, by the material), the materials' names, and
 * those of them brought on paper to the counter (the materials the form has no upload for).
 */
export function noticeItems(conn: Connection, formVersionId: number | null, notice: Pick<SupplementNotice, 'fields' | 'materials'>): DocumentNoticeItems {
  const form = formVersionDefinition(conn, formVersionId)
  const ofMaterials = new Set(notice.materials.map(m => materialFileField(form, m)?.key))
  const fields = (form?.fields ?? []).filter(f => notice.fields.includes(f.key) && !ofMaterials.has(f.key))
    .map(f => ({ key: f.key, label: { zh: f.label.zh, en: f.label.en } }))
  const atCounter = materialsOnPaper(form, notice.materials)
  return { fields, materials: notice.materials, ...(atCounter.length && { atCounter }) }
}

/** The e-licence an approval issued, by code, or null (an item without one, or one revoked since is still named: the decision stands on paper). */
/** The e-licence an approval issued and whom it names (a counter case's may name an organisation of its answers), or nulls. */
function resultOf(conn: Connection, caseNo: string): Pick<CaseDocument, 'resultCode' | 'resultHolderKind'> {
  const r = conn.sqlite.prepare('SELECT code, holder_kind AS holderKind FROM results WHERE case_no = ?').get(caseNo) as { code: string, holderKind: 'person' | 'organization' } | undefined
  return { resultCode: r?.code ?? null, resultHolderKind: r?.holderKind ?? null }
}
