/**
 * The limits on uploads, each set by an environment variable with a default (README, the
 * configuration table), and the refusals the upload route turns into HTTP statuses.
 */

/** A positive whole number from the environment, or the default for anything else. */
const positive = (v: string | undefined, fallback: number) => {
  const n = Number(v)
  return Number.isSafeInteger(n) && n > 0 ? n : fallback
}

/** UPLOAD_MAX_BYTES: the largest single file (default 10 MB). */
export const maxUploadBytes = () => positive(process.env.UPLOAD_MAX_BYTES, 10 * 1024 * 1024)
/** APPLICATION_MAX_BYTES: all files of one application together (default 50 MB). */
export const maxApplicationBytes = () => positive(process.env.APPLICATION_MAX_BYTES, 50 * 1024 * 1024)
/** Room for the multipart framing around the file (boundaries, part headers, a long UTF-8 name). */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024
/** The largest upload request body, framing included: past it the request is refused whatever its framing. */
export const maxUploadRequestBytes = () => maxUploadBytes() + MULTIPART_OVERHEAD_BYTES

/** UPLOAD_QUOTA_FILES and UPLOAD_QUOTA_BYTES: what one citizen's account may keep that no case holds (default 500 files, 1 GiB). */
export const uploadQuota = () => ({ files: positive(process.env.UPLOAD_QUOTA_FILES, 500), bytes: positive(process.env.UPLOAD_QUOTA_BYTES, 1024 ** 3) })

/** UPLOAD_MIN_FREE_BYTES: the free space the upload volume keeps; below it uploads are refused (default 500 MB, when /api/health reports it low). */
export const minFreeUploadBytes = () => positive(process.env.UPLOAD_MIN_FREE_BYTES, 500 * 1024 * 1024)

/** Refusals the handler turns into HTTP statuses; `reason` is a message key. */
export class UploadError extends Error {
  constructor(readonly statusCode: 400 | 413 | 415 | 429 | 507, readonly reason: string) {
    super(reason)
  }
}

/** The refusal of an upload past the account's quota (429: the person must delete unused files first). */
export const quotaExceeded = () => new UploadError(429, 'form.file.errors.quota')

/** The refusal of an upload while the volume is short of space (507 Insufficient Storage: nobody's fault, try later). */
export const volumeFull = () => new UploadError(507, 'validation.storageFull')
