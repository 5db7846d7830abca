/**
 * Which of a person's e-licences a file field most likely asks for, to list those first in the
 * picker beside it: the field 购房合同或不动产权证书 wants the 不动产权证书, not the ID cards and
 * subsidy notices a person collects over the years (48 of them, unsorted, for the demo citizen).
 */

/** Characters that join names but say nothing of what they name. */
const FILLER = /[\s（）()【】「」“”"'·、，,：:；;或及和与的]/g
/** The shortest run of characters two names must share to be taken as naming the same thing (营业执照, 居民身份). */
const SHARED_RUN = 4

/**
 * How well a licence's Chinese title fits a field's Chinese label: 2 when one holds the other
 * whole, 1 when they share a run of at least four characters, 0 otherwise.
 */
export function licenceFit(fieldLabel: string, licenceName: string): 0 | 1 | 2 {
  const label = fieldLabel.replace(FILLER, '')
  const name = licenceName.replace(FILLER, '')
  if (!label || !name) return 0
  if (label.includes(name) || name.includes(label)) return 2
  for (let i = 0; i + SHARED_RUN <= name.length; i++) {
    if (label.includes(name.slice(i, i + SHARED_RUN))) return 1
  }
  return 0
}

/** The licences, those fitting `fieldLabel` best first, each group newest first. Does not change `licences`. */
export function byFit<T extends { name: string, issuedAt: string }>(licences: readonly T[], fieldLabel: string): T[] {
  return licences
    .map(l => ({ l, fit: licenceFit(fieldLabel, l.name) }))
    .sort((a, b) => b.fit - a.fit || b.l.issuedAt.localeCompare(a.l.issuedAt))
    .map(({ l }) => l)
}
