/**
 * Whether two names of a market entity are the same name as registered names are written, whatever
 * the keyboard: full-width brackets and letters folded (NFKC: 深圳市某某（集团）有限公司 is
 * 深圳市某某(集团)有限公司), spaces left out. The server's check of an organisation and the
 * counter's look-up while the clerk types compare alike.
 */
export const sameEntityName = (a: string, b: string) => foldEntityName(a) === foldEntityName(b)

const foldEntityName = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '')
