/**
 * A search that finds nothing, as residents type it: a name said another way (社保卡申领 for the
 * item 社会保障卡申领), words in another order (提取公积金), a question as a sentence. The catalogue
 * page then offers the closest items and the most used ones (search-suggestions.ts).
 */
import { describe, expect, it } from 'vitest'
import { searchServices } from '../../server/services/catalogue'
import { characterPairs, pairsNeeded, searchSuggestions, similarServices } from '../../server/services/search-suggestions'
import { freshDatabase } from '../support/db'

const conn = freshDatabase()
const search = (q: string) => searchServices(conn, { q, page: 1, pageSize: 10 })
const names = (q: string) => similarServices(conn, q).map(s => s.name)

describe('the pairs of characters a query is cut into', () => {
  it('overlap, leave out what is not Chinese, and are cut at twelve', () => {
    expect(characterPairs('社保卡申领')).toEqual(['社保', '保卡', '卡申', '申领'])
    expect(characterPairs('SZ 社保 2026 卡')).toEqual(['社保'])
    expect(characterPairs('社')).toEqual([])
    expect(characterPairs('甲乙丙丁戊己庚辛壬癸子丑寅卯辰')).toHaveLength(12)
    expect([2, 4, 8, 9, 12].map(pairsNeeded)).toEqual([2, 2, 2, 3, 3])
  })
})

describe('the items close to a search that found nothing', () => {
  it('finds 社会保障卡申领 for 社保卡申领, by its keyword and its name', () => {
    expect(search('社保卡申领').total).toBe(0)
    expect(names('社保卡申领')[0]).toBe('社会保障卡申领')
  })

  it('finds the 住房公积金 withdrawals for 提取公积金, words the other way round', () => {
    expect(search('提取公积金').total).toBeLessThan(3)
    const found = names('提取公积金')
    expect(found.filter(n => n.includes('公积金') && n.includes('提取')).length).toBeGreaterThanOrEqual(3)
  })

  it('finds the pension item for a question typed as a sentence', () => {
    expect(search('我想办理退休以后领取养老金').total).toBe(0)
    expect(names('我想办理退休以后领取养老金')[0]).toBe('职工基本养老保险待遇申领（退休）')
  })

  it('offers nothing close for words no item holds, or a single pair', () => {
    expect(names('不存在的事项')).toEqual([])
    expect(names('社报')).toEqual([])
    expect(names('abc')).toEqual([])
  })

  it('reads traditional characters as simplified, as the search does', () => {
    expect(names('社會保障卡申領')[0]).toBe('社会保障卡申领')
  })

  it('always offers the most used items beside them', () => {
    const { similar, popular } = searchSuggestions(conn, '不存在的事项')
    expect(similar).toEqual([])
    expect(popular.length).toBeGreaterThan(0)
    expect(popular.every(s => s.code && s.name)).toBe(true)
  })
})
