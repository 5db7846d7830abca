/**
 * Uploading materials from the browser. XMLHttpRequest rather than fetch, because only XHR
 * reports upload progress. Names of uploads already known (from "my materials" or this visit)
 * are kept in one shared state, so a file answer (a list of ids) can show file names.
 */
export interface UploadInfo { id: string, name: string, size: number, mime: string, sha256: string }
export interface MaterialItem extends UploadInfo { createdAt: string, usedInCases: number }

/** Why an upload failed, as a message key of form.json. */
export type UploadFailure = 'form.file.errors.tooLarge' | 'form.file.errors.type' | 'form.file.errors.failed' | 'form.file.errors.signedOut' | 'form.file.errors.stalled' | 'form.file.errors.quota' | 'form.file.errors.storageFull'
/** What a cancelled upload rejects with: the person asked for it, so it is no error to show. */
export const UPLOAD_CANCELLED = 'cancelled'
/** How an upload can end without a stored file. */
export type UploadOutcome = UploadFailure | typeof UPLOAD_CANCELLED

/**
 * How long an upload may go without any sign of life before it counts as stalled. While bytes go
 * out, browsers fire upload progress about every 50 ms (XMLHttpRequest standard, "progress"), so
 * even a 10 MB file over a slow mobile link reports many times a minute; and once the body is
 * sent, the server stores and hashes it in well under a second. A minute of silence therefore
 * means a dead connection or a proxy holding the request, not a slow one, while short drops (a
 * tunnel, a cell handover: seconds to tens of seconds) still recover. Not `xhr.timeout`: that
 * limits the whole request, and would cut off a large file that is still moving.
 */
export const UPLOAD_STALL_MS = 60_000

function failureOf(status: number): UploadFailure {
  if (status === 413) return 'form.file.errors.tooLarge'
  if (status === 415) return 'form.file.errors.type'
  if (status === 401) return 'form.file.errors.signedOut'
  // the account keeps as many files as it may (UPLOAD_QUOTA_*): deleting some from 'my materials' makes room
  if (status === 429) return 'form.file.errors.quota'
  // the server's disk is nearly full (UPLOAD_MIN_FREE_BYTES): nothing the person did, and trying again now will not help
  if (status === 507) return 'form.file.errors.storageFull'
  return 'form.file.errors.failed'
}

/** A caught upload error as an outcome: anything unexpected is a failed upload. */
export function uploadOutcomeOf(error: unknown): UploadOutcome {
  const known: readonly string[] = [UPLOAD_CANCELLED, 'form.file.errors.tooLarge', 'form.file.errors.type', 'form.file.errors.failed', 'form.file.errors.signedOut', 'form.file.errors.stalled', 'form.file.errors.quota', 'form.file.errors.storageFull']
  return typeof error === 'string' && known.includes(error) ? error as UploadOutcome : 'form.file.errors.failed'
}

/**
 * Sends one file as the multipart part `file`; resolves with the stored upload, rejects with an
 * UploadOutcome: a failure's message key, or `UPLOAD_CANCELLED` once `signal` aborts. No progress
 * for UPLOAD_STALL_MS rejects with 'form.file.errors.stalled'. The promise settles exactly once,
 * whatever the order of the request's events.
 */
export function sendFile(file: File, onProgress: (percent: number) => void, signal?: AbortSignal): Promise<UploadInfo> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(UPLOAD_CANCELLED)
    const xhr = new XMLHttpRequest()
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    let settled = false
    const onCancel = () => fail(UPLOAD_CANCELLED)
    function end() {
      settled = true
      clearTimeout(stallTimer)
      signal?.removeEventListener('abort', onCancel)
    }
    // settle first, then abort: the abort event that follows finds the promise already settled
    function fail(outcome: UploadOutcome) {
      if (settled) return
      end()
      reject(outcome)
      if (xhr.readyState !== XMLHttpRequest.DONE) xhr.abort()
    }
    function alive() {
      clearTimeout(stallTimer)
      stallTimer = setTimeout(() => fail('form.file.errors.stalled'), UPLOAD_STALL_MS)
    }
    xhr.open('POST', '/api/uploads')
    xhr.responseType = 'json'
    xhr.upload.onprogress = (e) => {
      alive()
      if (e.lengthComputable) onProgress(Math.floor((e.loaded / e.total) * 100))
    }
    // the answer arriving counts as life too
    xhr.onprogress = alive
    xhr.onload = () => {
      if (settled) return
      end()
      if (xhr.status === 201) resolve(xhr.response as UploadInfo)
      else reject(failureOf(xhr.status))
    }
    xhr.onerror = () => fail('form.file.errors.failed')
    xhr.ontimeout = () => fail('form.file.errors.stalled')
    // an abort not asked for here (the browser leaving the page) still settles the promise
    xhr.onabort = () => fail(UPLOAD_CANCELLED)
    signal?.addEventListener('abort', onCancel, { once: true })
    const body = new FormData()
    body.append('file', file, file.name)
    alive()
    xhr.send(body)
  })
}

/** Known uploads by id, and "my materials" loaded on demand. */
export function useUploadLibrary() {
  const known = useState<Record<string, UploadInfo>>('upload-library', () => ({}))
  const materials = useState<MaterialItem[] | null>('upload-materials', () => null)

  function remember(u: UploadInfo) {
    known.value = { ...known.value, [u.id]: u }
  }

  async function loadMaterials(force = false): Promise<MaterialItem[]> {
    if (materials.value && !force) return materials.value
    const page = await $fetch<{ items: MaterialItem[] }>('/api/me/materials', { query: { pageSize: 100 } })
    materials.value = page.items
    for (const m of page.items) remember(m)
    return page.items
  }

  return { known, materials, remember, loadMaterials }
}

/** "1.2 MB", "340 KB": sizes as people read them. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`
  if (n >= 1024) return `${Math.ceil(n / 1024)} KB`
  return `${n} B`
}
