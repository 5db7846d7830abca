/**
 * The apply page's form reports each missing answer at its own field. In 无犯罪记录证明开具
 * (SZGA-0015), choosing 开具用途 = 其他 shows 其他用途说明 (`purposeDetail`); checking with it empty
 * must name 其他用途说明, not the select just filled: vee-validate filed the error of a key under a
 * registered key it begins with (`purpose`), so the summary said "开具用途：请选择一项".
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSSRApp, defineComponent, h, nextTick } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { useAnswersForm } from '../../composables/useAnswersForm'
import { services } from '../../db/seed/catalogue'
import type { FormDefinition } from '../../shared/types/catalogue'
import type { Answers } from '../../shared/utils/form-schema'

const SZGA_0015 = services.find(s => s.code === 'SZGA-0015')!.form!
/** The answers the profile prefills, as a new draft holds them. */
const PREFILLED = { name: '张晓明', idNumber: '440305199003072319', mobile: '13800138000' }

type Form = ReturnType<typeof useAnswersForm>

/** The page's form, set up in a component's setup as the page does (server rendering needs no DOM). */
async function pageForm(def: FormDefinition, answers: Answers): Promise<Form> {
  let form: Form | undefined
  const Host = defineComponent({
    setup() {
      form = useAnswersForm()
      form.setDefinition(def)
      form.replaceAnswers(answers)
      return () => h('form')
    },
  })
  await renderToString(createSSRApp(Host))
  return form!
}

/** "检查填写内容": the errors validate() gives and those the page shows (vee-validate's errors). */
async function check(form: Form) {
  // loading answers validates them silently on the next tick: done long before a person clicks
  await nextTick()
  await vi.advanceTimersByTimeAsync(10)
  const pending = form.validate()
  // vee-validate waits 5 ms to merge validations (debounce); the timers are fake, so skip it
  vi.advanceTimersByTime(10)
  const result = await pending
  return { returned: result.errors as Record<string, string>, shown: { ...form.errors.value } as Record<string, string> }
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})
afterAll(() => {
  vi.useRealTimers()
})

describe('a person choosing 开具用途 = 其他 and checking with 其他用途说明 empty', () => {
  it('is told about 其他用途说明, not the select just filled', async () => {
    const form = await pageForm(SZGA_0015, PREFILLED)
    form.setAnswers({ purpose: 'other' })
    const { returned, shown } = await check(form)
    expect(returned).toEqual({ purposeDetail: 'validation.required' })
    expect(shown).toEqual({ purposeDetail: 'validation.required' })
  })

  it('is told the same after switching to 其他 from another purpose', async () => {
    const form = await pageForm(SZGA_0015, PREFILLED)
    form.setAnswers({ purpose: 'employ' })
    expect((await check(form)).shown).toEqual({})
    form.setAnswers({ purpose: 'other' })
    expect((await check(form)).shown).toEqual({ purposeDetail: 'validation.required' })
    form.setAnswers({ purposeDetail: '办理签证' })
    expect((await check(form)).shown).toEqual({})
  })

  it('is told the same as after a reload, when the draft\'s answers are loaded', async () => {
    const form = await pageForm(SZGA_0015, { ...PREFILLED, purpose: 'other' })
    expect((await check(form)).shown).toEqual({ purposeDetail: 'validation.required' })
  })
})

describe('any two fields whose keys begin alike', () => {
  const label = { zh: '甲', en: 'A' }
  const FORM: FormDefinition = {
    version: 1,
    fields: [
      { key: 'bank', type: 'text', label, required: true },
      { key: 'bankAccount', type: 'bankAccount', label, required: true },
      { key: 'bankAccountFile', type: 'file', label, required: false },
    ],
  }

  it('keep their own errors whichever was filled last', async () => {
    const form = await pageForm(FORM, {})
    form.setAnswers({ bank: '招商银行' })
    form.setAnswers({ bankAccountFile: ['x'] })
    expect((await check(form)).shown).toEqual({ bankAccount: 'validation.required', bankAccountFile: 'validation.file' })
    form.setAnswers({ bankAccount: 'abc', bankAccountFile: [] })
    expect((await check(form)).shown).toEqual({ bankAccount: 'validation.bankAccount.format' })
  })
})

describe('answers replaced by another tab\'s', () => {
  it('keep none of those typed here that the other tab lacks', async () => {
    const form = await pageForm(SZGA_0015, PREFILLED)
    form.setAnswers({ purpose: 'other', purposeDetail: '办理签证', receivingOrg: '某大学' })
    form.replaceAnswers({ ...PREFILLED, purpose: 'other' })
    expect(form.values.receivingOrg).toBeUndefined()
    expect(form.values.purposeDetail).toBeUndefined()
    expect((await check(form)).shown).toEqual({ purposeDetail: 'validation.required' })
  })
})
