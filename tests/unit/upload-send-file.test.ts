/**
 * sendFile settles once on every path a person can meet: stored, refused, the connection lost,
 * nothing moving for a minute (stalled), cancelled by the person, or aborted by the browser. The
 * browser's XMLHttpRequest is replaced by a fake that the test drives event by event.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sendFile, UPLOAD_CANCELLED, UPLOAD_STALL_MS, uploadOutcomeOf } from '../../composables/useUpload'

type Handler = ((e: { lengthComputable: boolean, loaded: number, total: number }) => void) | null

/** Only what sendFile uses of XMLHttpRequest, and a record of what it was asked to do. */
class FakeXhr {
  static readonly DONE = 4
  static last: FakeXhr | null = null
  readyState = 0
  status = 0
  response: unknown = null
  responseType = ''
  sent = false
  aborted = 0
  upload: { onprogress: Handler } = { onprogress: null }
  onprogress: Handler = null
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  ontimeout: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXhr.last = this
  }

  open() {
    this.readyState = 1
  }

  send() {
    this.sent = true
  }

  // as browsers do: an abort of a live request fires `abort` at once
  abort() {
    this.aborted++
    if (this.readyState === 4) return
    this.readyState = 4
    this.onabort?.()
  }

  answer(status: number, response: unknown = null) {
    this.readyState = 4
    this.status = status
    this.response = response
    this.onload?.()
  }

  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total })
  }
}

const file = () => new File([new Uint8Array([37, 80, 68, 70])], 'receipt.pdf', { type: 'application/pdf' })
const stored = { id: 'u1', name: 'receipt.pdf', size: 4, mime: 'application/pdf', sha256: 'x' }

/** The outcome of a promise that must have settled by now (after pending microtasks). */
async function outcome<T>(p: Promise<T>): Promise<{ ok: T } | { error: unknown } | 'pending'> {
  let result: { ok: T } | { error: unknown } | 'pending' = 'pending'
  p.then(ok => (result = { ok }), error => (result = { error }))
  await Promise.resolve()
  await Promise.resolve()
  return result
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.stubGlobal('XMLHttpRequest', FakeXhr)
  FakeXhr.last = null
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('sending a file', () => {
  it('resolves with the stored upload and reports progress on the way', async () => {
    const seen: number[] = []
    const p = sendFile(file(), n => seen.push(n))
    FakeXhr.last!.progress(2, 4)
    FakeXhr.last!.progress(4, 4)
    FakeXhr.last!.answer(201, stored)
    expect(await outcome(p)).toEqual({ ok: stored })
    expect(seen).toEqual([50, 100])
  })

  it('keeps the reasons the server gives for a refusal', async () => {
    for (const [status, key] of [[413, 'form.file.errors.tooLarge'], [415, 'form.file.errors.type'], [401, 'form.file.errors.signedOut'], [429, 'form.file.errors.quota'], [500, 'form.file.errors.failed']] as const) {
      const p = sendFile(file(), () => undefined)
      FakeXhr.last!.answer(status)
      expect(await outcome(p)).toEqual({ error: key })
    }
  })

  it('fails as "failed" when the connection is lost', async () => {
    const p = sendFile(file(), () => undefined)
    FakeXhr.last!.onerror!()
    expect(await outcome(p)).toEqual({ error: 'form.file.errors.failed' })
  })
})

describe('an upload that stops moving', () => {
  it('fails as stalled after the stall limit without progress, and the request is abandoned', async () => {
    const p = sendFile(file(), () => undefined)
    vi.advanceTimersByTime(UPLOAD_STALL_MS - 1)
    expect(await outcome(p)).toBe('pending')
    vi.advanceTimersByTime(1)
    expect(await outcome(p)).toEqual({ error: 'form.file.errors.stalled' })
    expect(FakeXhr.last!.aborted).toBe(1)
  })

  it('is not stalled while progress keeps coming, however long the whole upload takes', async () => {
    const p = sendFile(file(), () => undefined)
    for (let i = 1; i <= 5; i++) {
      vi.advanceTimersByTime(UPLOAD_STALL_MS - 1000)
      FakeXhr.last!.progress(i, 10)
    }
    expect(await outcome(p)).toBe('pending')
    FakeXhr.last!.answer(201, stored)
    expect(await outcome(p)).toEqual({ ok: stored })
  })

  it('fails as stalled if the browser\'s own timeout fires', async () => {
    const p = sendFile(file(), () => undefined)
    FakeXhr.last!.ontimeout!()
    expect(await outcome(p)).toEqual({ error: 'form.file.errors.stalled' })
  })

  it('leaves no stall timer behind once the upload is stored', async () => {
    const p = sendFile(file(), () => undefined)
    FakeXhr.last!.answer(201, stored)
    expect(await outcome(p)).toEqual({ ok: stored })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('cancelling an upload', () => {
  it('rejects with "cancelled" and aborts the request', async () => {
    const controller = new AbortController()
    const p = sendFile(file(), () => undefined, controller.signal)
    controller.abort()
    expect(await outcome(p)).toEqual({ error: UPLOAD_CANCELLED })
    expect(FakeXhr.last!.aborted).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('sends nothing when already cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    const p = sendFile(file(), () => undefined, controller.signal)
    expect(await outcome(p)).toEqual({ error: UPLOAD_CANCELLED })
    expect(FakeXhr.last).toBeNull()
  })

  it('settles as "cancelled" when the browser aborts the request itself', async () => {
    const p = sendFile(file(), () => undefined)
    FakeXhr.last!.abort()
    expect(await outcome(p)).toEqual({ error: UPLOAD_CANCELLED })
  })

  it('a cancel after the file is stored changes nothing', async () => {
    const controller = new AbortController()
    const p = sendFile(file(), () => undefined, controller.signal)
    FakeXhr.last!.answer(201, stored)
    controller.abort()
    expect(await outcome(p)).toEqual({ ok: stored })
    expect(FakeXhr.last!.aborted).toBe(0)
  })
})

describe('reading a caught upload error', () => {
  it('keeps known outcomes and treats anything else as a failed upload', () => {
    expect(uploadOutcomeOf('cancelled')).toBe('cancelled')
    expect(uploadOutcomeOf('form.file.errors.stalled')).toBe('form.file.errors.stalled')
    expect(uploadOutcomeOf(new Error('boom'))).toBe('form.file.errors.failed')
  })
})
