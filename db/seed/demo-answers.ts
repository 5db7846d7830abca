/**
 * What a demo case's free-text answers say: chosen by what the field's key names, so that a
 * clerk's page reads like an application (a bank for the bank, an address for the address), not
 * the applicant's name under 开户银行 and 演示数据 in every other box. Fixed texts, no random
 * draw: the history's generator keeps its sequence. Each fits the shortest maxLength of the forms.
 */
import type { FormField } from '../../shared/types/catalogue'

/** The first pattern the key matches gives the answer (the shortest maxLength, 8 of a plate number, is kept); the applicant's own name comes from the caller. */
const BY_KEY: readonly (readonly [RegExp, string])[] = [
  [/bank/i, '中国工商银行深圳分行'],
  [/(address|premises|location|place|site|venue|warehouse|depot|destination)$/i, '深圳市福田区福华一路1号'],
  [/^(child|baby|student)Name$/, '张小雨'],
  [/^(spouse|elder|insured|employee|coBorrower|mortgagor|pharmacist|counterparty)Name$|Manager$|Officer$|Contact$|^principal$/, '李海燕'],
  [/relationship/, '父亲'],
  [/hospital/i, '深圳市人民医院'],
  [/school|kindergarten/i, '深圳市福田区实验学校'],
  [/plateNo/, '粤B12345'],
  [/^vin$/, 'LSVAM4187C2184845'],
  [/No$|Code$/, 'E12345678'],
  [/Region$/, '广东省广州市'],
  [/^(business)?[sS]cope$/, '软件开发；信息技术咨询服务'],
  [/certificate|qualification|skill/i, '电工职业资格证书'],
  [/^contract(Name)?$/, '房屋租赁合同'],
  [/show|event/i, '深圳市民文化节演出'],
  [/company|enterprise|firm|employer|org|institution|agency|contractor|hauler|consultant|counterparty|pledgee|platform|advertiser|business|respondent|engraver|Hq$/i, '深圳市福华科技有限公司'],
  [/project/i, '福田区智慧社区改造项目'],
]

const TEXTAREA = '因生产生活需要，申请办理本事项，所填信息真实有效。'
const OTHER_TEXT = '见附件材料'

/** A plausible answer to a text or textarea field that is not the applicant's own name. */
export function demoText(field: Pick<FormField, 'key' | 'type'>): string {
  // a text area is an account in words (经过, 说明, 事实与理由), but for an address or a scope
  if (field.type === 'textarea' && !/address|scope/i.test(field.key)) return TEXTAREA
  const found = BY_KEY.find(([key]) => key.test(field.key))
  if (found) return found[1]
  return field.type === 'textarea' ? TEXTAREA : OTHER_TEXT
}
