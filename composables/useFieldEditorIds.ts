/**
 * The element ids and problems of one field editor's inputs. An input's id is the editor's
 * prefix and the input's name (`fb-3-label-zh`), the same name its problem is filed under, so
 * the builder's problem links land on the input. Reads the props on each call: the problems
 * change as the editor types.
 */
export function useFieldEditorIds(props: { idPrefix: string, errors: Record<string, string> }) {
  const id = (name: string) => `${props.idPrefix}-${name}`
  const err = (name: string): string | undefined => props.errors[name]
  return { id, err }
}
