/**
 * Whether the SMS notices keep up with the cases: a submission's receipt is written to the
 * outbox with its case and sent by the server's delivery loop afterwards, so a write rate the
 * notices cannot follow would be a rate in name only. Read from /api/health, as monitoring does.
 */
export interface Notices {
  /** notices not yet sent when the last write scenario ended */
  waiting: number
  /** seconds until none was waiting, or null if some still were at the end of the watch */
  drainedAfterS: number | null
}

const backlog = async (url: string) => ((await (await fetch(`${url}/api/health`)).json()) as { outbox: { backlog: number } }).outbox.backlog

/** Watches the outbox backlog for up to `seconds` after the writes. */
export async function watchNotices(url: string, seconds = 60): Promise<Notices> {
  const started = performance.now()
  const waiting = await backlog(url)
  let left = waiting
  while (left > 0 && performance.now() - started < seconds * 1000) {
    await new Promise(r => setTimeout(r, 250))
    left = await backlog(url)
  }
  return { waiting, drainedAfterS: left === 0 ? (performance.now() - started) / 1000 : null }
}

export function noticesLine(size: string, n: Notices): string {
  const after = n.drainedAfterS === null ? 'some still waiting at the end of the watch' : `all sent ${n.drainedAfterS.toFixed(1)} s later`
  return `SMS notices @${size}: ${n.waiting.toLocaleString('en')} waiting in the outbox when the writes ended; ${after}.`
}
