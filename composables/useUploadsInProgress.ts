/**
 * How many files are uploading under a form, so the form can refuse to go on while one is in
 * flight: an optional file field's upload left behind would otherwise be silently missing from
 * the application. The form page provides the count; each file field (Form/FieldFile.vue) adds
 * itself while it uploads. A file field outside such a form (a preview) counts nowhere.
 */
import type { InjectionKey, Ref } from 'vue'

const UPLOADS_IN_PROGRESS: InjectionKey<Ref<number>> = Symbol('uploads-in-progress')

/** For the form page: the number of uploads in flight in its fields. */
export function provideUploadsInProgress(): Ref<number> {
  const count = ref(0)
  provide(UPLOADS_IN_PROGRESS, count)
  return count
}

/**
 * For a file field: `busy(true)` when its upload starts, `busy(false)` when it ends; counted once
 * however often it is called, and taken back if the field goes away mid-upload.
 */
export function useUploadInProgress(): (uploading: boolean) => void {
  const count = inject(UPLOADS_IN_PROGRESS, null)
  let counted = false
  const busy = (uploading: boolean) => {
    if (!count || uploading === counted) return
    counted = uploading
    count.value += uploading ? 1 : -1
  }
  onBeforeUnmount(() => busy(false))
  return busy
}

/**
 * For a form of Case/FieldInput inputs (a correction, counter intake): which fields have an upload
 * in flight, fed by each input's `update:uploading`. An empty file answer keeps the files on record,
 * so a form sent meanwhile would go without the new file, and the file arriving later would belong
 * to nothing.
 */
export function useUploadingFields() {
  const uploading = ref(new Set<string>())
  function markUploading(key: string, on: boolean) {
    const next = new Set(uploading.value)
    if (on) next.add(key)
    else next.delete(key)
    uploading.value = next
  }
  return { uploading, markUploading }
}
