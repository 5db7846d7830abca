/**
 * What the scenarios need from the dataset, read before the server starts: people to sign in as,
 * submitted cases for the clerk to accept, the most used guide, and answers that pass a form's
 * validation (the same validateAnswers the server runs on submit).
 */
import Database from 'better-sqlite3'
import { openDatabase, writeTransaction } from '../../db/client'
import { createDraft } from '../../server/services/applications'
import type { FormDefinition } from '../../shared/types/catalogue'
import type { Answers } from '../../shared/utils/form-schema'
import { validateAnswers, visibleFields } from '../../shared/utils/form-schema'
import { makeUscc } from '../../shared/utils/uscc'
import { DEMO_CLERK_DEPARTMENT } from '../../db/seed/demo'
import { citizenUsername } from './people'

export interface Profile { username: string, name: string, idNumber: string, mobile: string }
export interface Fixtures {
  citizens: Profile[]
  /** submitted cases of the demo clerk's department, with their versions */
  waiting: { caseNo: string, version: number }[]
  guideCode: string
  /** an item of the citizens' audience with a form the filler can complete, and its form */
  apply: { code: string, form: FormDefinition } | null
}

/** A value of the right type for each visible field, the profile's own where the form prefills it. */
export function fillAnswers(def: FormDefinition, p: Profile): Answers {
  const answers: Answers = {}
  // showIf can make more fields appear once an answer is given: fill until nothing changes.
  for (let round = 0; round < 5; round++) {
    for (const f of visibleFields(def, answers)) {
      if (f.key in answers) continue
      if (f.type === 'file') continue
      const byType: Record<string, unknown> = {
        text: f.prefill === 'name' ? p.name : '深圳市福田区福华一路1号', textarea: '因工作需要申请办理。', number: f.min ?? 1,
        date: '2026-01-15', select: f.options?.[0]?.value, radio: f.options?.[0]?.value, checkbox: true,
        idNumber: p.idNumber, uscc: makeUscc('91440300MA5F00000'), mobile: p.mobile, email: 'applicant@example.com',
        bankAccount: '6222021234567890123',
      }
      answers[f.key] = byType[f.type]
    }
  }
  return answers
}

/** Reads the fixtures from the dataset file (read-only, before the server opens it). */
export function readFixtures(dbPath: string, citizens: number): Fixtures {
  const db = new Database(dbPath, { readonly: true })
  try {
    const profile = db.prepare('SELECT username, name, id_number AS idNumber, mobile FROM users WHERE username = ?')
    const people = Array.from({ length: citizens }, (_, i) => profile.get(citizenUsername(i)) as Profile)
    const waiting = db.prepare(`SELECT case_no AS caseNo, version FROM cases WHERE department_code = ? AND status = 'submitted' ORDER BY case_no`)
      .all(DEMO_CLERK_DEPARTMENT) as { caseNo: string, version: number }[]
    const { guideCode } = db.prepare(`SELECT code AS guideCode FROM services WHERE status = 'published' ORDER BY use_count DESC, code LIMIT 1`).get() as { guideCode: string }
    const forms = db.prepare(`SELECT s.code, f.definition FROM services s JOIN form_versions f ON f.id = s.form_version_id
      WHERE s.status = 'published' AND s.audience = 'person' AND s.online_depth >= 3 ORDER BY s.use_count DESC, s.code LIMIT 200`).all() as { code: string, definition: string }[]
    let apply: Fixtures['apply'] = null
    for (const f of forms) {
      const form = JSON.parse(f.definition) as FormDefinition
      if (validateAnswers(form, fillAnswers(form, people[0]!)).ok) { apply = { code: f.code, form }; break }
    }
    return { citizens: people, waiting, guideCode, apply }
  }
  finally {
    db.close()
  }
}

/**
 * Saved drafts for the submit scenario, `perCitizen` for each citizen, made through the server's
 * own createDraft on the dataset before the server opens it: the drafts a form page autosaves
 * while people type, minutes before they press submit. Ids by citizen, in `f.citizens`' order.
 */
export function prepareDrafts(dbPath: string, f: Fixtures, perCitizen: number): string[][] {
  const apply = f.apply
  if (!apply) return f.citizens.map(() => [])
  const conn = openDatabase(`file:${dbPath}`)
  try {
    const idOf = conn.sqlite.prepare('SELECT id FROM users WHERE username = ?')
    return f.citizens.map((p) => {
      const { id } = idOf.get(p.username) as { id: number }
      const answers = fillAnswers(apply.form, p)
      return writeTransaction(conn, () => Array.from({ length: perCitizen },
        () => createDraft(conn, { id, role: 'citizen' }, { serviceCode: apply.code, answers }).id))
    })
  }
  finally {
    conn.sqlite.close()
  }
}
