/**
 * Uploading materials from the browser. XMLHttpRequest rather than fetch, because only XHR
 * reports upload progress. Names of uploads already known (from "my materials" or this visit)
 * are kept in one shared state, so a file answer (a list of ids) can show file names.
 */
export interface UploadInfo { id: string, name: string, size: number, mime: string, sha256: string }
export interface MaterialItem extends UploadInfo { createdAt: string, usedInCases: number }

/** Why an upload failed, as a message key of form.json. */
export type UploadFailure = 'form.file.errors.tooLarge' | 'form.file.errors.type' | 'form.file.errors.failed' | 'form.file.errors.signedOut'

function failureOf(status: number): UploadFailure {
  if (status === 413) return 'form.file.errors.tooLarge'
  if (status === 415) return 'form.file.errors.type'
  if (status === 401) return 'form.file.errors.signedOut'
  return 'form.file.errors.failed'
}

/** Sends one file as the multipart part `file`; resolves with the stored upload, rejects with a message key. */
export function sendFile(file: File, onProgress: (percent: number) => void): Promise<UploadInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/uploads')
    xhr.responseType = 'json'
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.floor((e.loaded / e.total) * 100))
    }
    xhr.onload = () => {
      if (xhr.status === 201) resolve(xhr.response as UploadInfo)
      else reject(failureOf(xhr.status))
    }
    xhr.onerror = () => reject('form.file.errors.failed' satisfies UploadFailure)
    const body = new FormData()
    body.append('file', file, file.name)
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
