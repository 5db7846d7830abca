import { makeGroupCommit } from '../../db/group-commit'

/** Writes that arrive together share one transaction and one disk sync (db/group-commit.ts). */
export const inGroupCommit = makeGroupCommit(() => useConnection().sqlite)
