/**
 * Ids for the rows of a list that have none of their own (the form builder's sections and fields):
 * a row keeps its id when it moves, so its element ids, its key and the focus on it follow it.
 * One counter per component that calls it.
 */
export function useRowIds(): (row: object) => number {
  const ids = new WeakMap<object, number>()
  let nextId = 1
  // keyed by the raw object: the template reads a field through Vue's reactive proxy, addField()
  // holds the plain object it pushed, and the two are different WeakMap keys (different ids)
  return (o: object) => {
    const raw = toRaw(o)
    if (!ids.has(raw)) ids.set(raw, nextId++)
    return ids.get(raw)!
  }
}
