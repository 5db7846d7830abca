/**
 * A person attaching an e-licence to a file field finds the one the field asks for at the top of
 * their list, not among every ID card and subsidy notice they were ever issued.
 */
import { describe, expect, it } from 'vitest'
import { byFit, licenceFit } from '../../shared/utils/licence-match'

describe('which e-licence a file field asks for', () => {
  it('fits a licence whose title the label holds, or that holds the label', () => {
    expect(licenceFit('购房合同或不动产权证书', '不动产权证书')).toBe(2)
    expect(licenceFit('营业执照', '营业执照（副本）')).toBe(2)
  })

  it('half fits one that shares four characters running, and not one that shares less', () => {
    expect(licenceFit('居民身份证正反面', '中华人民共和国居民身份证')).toBe(1)
    expect(licenceFit('结婚证', '离婚证')).toBe(0)
    expect(licenceFit('购房合同或不动产权证书', '中华人民共和国居民身份证')).toBe(0)
  })

  it('lists the fitting licences first, each group newest first, and leaves the list given as it was', () => {
    const mine = [
      { name: '中华人民共和国居民身份证', issuedAt: '2026-11-26' },
      { name: '不动产权证书', issuedAt: '2025-05-01' },
      { name: '失业保险待遇核定通知', issuedAt: '2026-10-01' },
      { name: '不动产权证书', issuedAt: '2026-02-01' },
    ]
    const before = structuredClone(mine)
    expect(byFit(mine, '购房合同或不动产权证书').map(l => `${l.name} ${l.issuedAt}`)).toEqual([
      '不动产权证书 2026-02-01', '不动产权证书 2025-05-01', '中华人民共和国居民身份证 2026-11-26', '失业保险待遇核定通知 2026-10-01',
    ])
    expect(mine).toEqual(before)
  })
})
