/**
 * The service catalogue (办事指南) following the national elements of a service guide
 * (GB/T 45014 / 国务院办公厅《政务服务事项实施清单》要素). These types are the public API shape
 * (../shared/CONTRACT.md: ServiceSummary, ServiceGuide, FormDefinition) and the seed's shape.
 */

/** 事项类型 */
export const ITEM_TYPES = ['licensing', 'payment', 'confirmation', 'adjudication', 'reward', 'filing', 'other_power', 'public_service'] as const
export type ItemType = typeof ITEM_TYPES[number]

/** 服务对象: 自然人, 法人, both */
export const AUDIENCES = ['person', 'organization', 'both'] as const
export type Audience = typeof AUDIENCES[number]

/** 办件类型: 即办件 or 承诺件 */
export const PROCESS_TYPES = ['instant', 'promised'] as const
export type ProcessType = typeof PROCESS_TYPES[number]

/** 网上办理深度 Ⅰ–Ⅳ */
export const ONLINE_DEPTHS = [1, 2, 3, 4] as const
export type OnlineDepth = typeof ONLINE_DEPTHS[number]

export interface LocalText { zh: string, en: string }

export const MATERIAL_FORMATS = ['electronic', 'paper', 'both'] as const
export const MATERIAL_SOURCES = ['applicant', 'government', 'intermediary'] as const
/** 材料类型: 原件, 复印件, 原件和复印件 */
export const MATERIAL_TYPES = ['original', 'copy', 'original_and_copy'] as const
/** 纸质材料规格 */
export const PAPER_SIZES = ['A4', 'A3'] as const

/** 申请材料 */
export interface Material {
  name: string
  required: boolean
  /** 材料形式: electronic, paper or both */
  format: typeof MATERIAL_FORMATS[number]
  /** 份数 (paper copies) */
  copies: number
  /** 来源渠道: 申请人自备, 政府部门核发, 中介机构 */
  source: typeof MATERIAL_SOURCES[number]
  note?: string
  /** 原件 / 复印件 / 原件和复印件; optional like the three below: absent = not stated on the guide */
  materialType?: typeof MATERIAL_TYPES[number]
  /** 纸张规格 of a paper material */
  paperSize?: typeof PAPER_SIZES[number] | null
  /** 示例样表 and 空白表格 can be had (flags only: the portal hosts no files for them) */
  sampleAvailable?: boolean
  blankFormAvailable?: boolean
  /**
   * 免提交: the department obtains it itself (the e-licence library, a shared register), so the
   * applicant hands nothing in; only for a material a government department issues
   */
  fetched?: boolean
}

/** 收费项目; an empty list means free of charge (不收费) */
export interface Fee { name: string, amount: string, basis: string }

/** 办理流程 */
export interface Step { name: string, description: string }

/** 结果送达方式: 窗口领取, 邮寄, 电子证照/网上下载, 自助终端打印 */
export const RESULT_DELIVERIES = ['counter', 'post', 'electronic', 'self_print'] as const
export type ResultDelivery = typeof RESULT_DELIVERIES[number]

/** 办理形式: 网上办理, 窗口办理, 邮寄办理, 自助终端办理 (the portal itself is the online channel) */
export const HANDLING_CHANNELS = ['online', 'counter', 'post', 'self_service'] as const
export type HandlingChannel = typeof HANDLING_CHANNELS[number]

/** 中介服务 an applicant needs from a third party, and what requires it */
export interface IntermediaryService { name: string, basis: string }

/** 特别程序 (听证, 检验, 专家评审…): its time does not count toward the item's limit */
/**
 * 特别程序 (检验、检测、鉴定, 听证, 公示, a cooling-off period…), whose time the item's limit does not
 * count; its own limit in working days, or in natural days (`limitUnit: 'natural'`, as a law that
 * says 三十日 counts it: 民法典 第一千零七十七条's cooling-off). Absent: working days.
 */
export interface SpecialProcedure { name: string, limitDays?: number, limitUnit?: LimitUnit, basis: string }

/** 常见问题 */
export interface FaqEntry { question: string, answer: string }

/**
 * How a legal time limit is counted: in working days (行政许可法 第八十二条, most approvals) or in
 * natural days, where the item's own law says 日 without it (居民身份证法 第十条 六十日,
 * 工伤保险条例 第二十条 60日, 劳动争议调解仲裁法 第二十九条 五日). Promised limits are always
 * working days.
 */
export const LIMIT_UNITS = ['working', 'natural'] as const
export type LimitUnit = typeof LIMIT_UNITS[number]

/**
 * Elements of the national guide that came after the first catalogue: optional, so items,
 * imports and API clients without them keep working. Absent, null or an empty list all mean
 * "not stated", and the guide page leaves the element out.
 */
export interface GuideOptionalElements {
  /** 数量限制, e.g. 每人限申领一张 */
  quantityLimit?: string | null
  resultDelivery?: ResultDelivery[]
  handlingChannels?: HandlingChannel[]
  intermediaryServices?: IntermediaryService[]
  specialProcedures?: SpecialProcedure[]
  /** 审查标准 */
  reviewCriteria?: string[]
  faq?: FaqEntry[]
  /** 咨询地址 and 监督投诉地址 (beyond the phones) */
  consultAddress?: string | null
  complaintAddress?: string | null
  /** the legal limit's unit; left out for working days, as most items count */
  legalLimitUnit?: LimitUnit
  /**
   * The portal's own, not the national standard's: the item's result is a licence a holder has one
   * of at a time (身份证, 驾驶证, 残疾人证…), so issuing it revokes the holder's earlier valid licence of
   * the same title (server/services/results.ts). Left out (never false) for a result one may hold
   * several of at once (certificates of different things, one licence per shop or vehicle).
   */
  resultReplacesEarlier?: boolean
  /**
   * The portal's own too: how long the item's e-licence is valid (shared/utils/result-validity.ts).
   * Left out: DEFAULT_VALIDITY_MONTHS, as every licence was before the element existed.
   */
  resultValidity?: ResultValidity
}

export const OPTIONAL_GUIDE_KEYS = ['quantityLimit', 'resultDelivery', 'handlingChannels', 'intermediaryServices', 'specialProcedures',
  'reviewCriteria', 'faq', 'consultAddress', 'complaintAddress', 'legalLimitUnit', 'resultReplacesEarlier', 'resultValidity'] as const satisfies readonly (keyof GuideOptionalElements)[]

/**
 * 证照有效期, exactly one of: a fixed number of months (1–1200: 临时居民身份证 3, a permit of 3 or
 * 5 years); long-term (长期: 结婚证, 不动产权证书, a certificate of fact), valid until revoked; or by the
 * holder's age on the day of issue under the 居民身份证法 第五条 or the 护照法 第六条 (a person's ID
 * number gives the birth date). One key per form rather than a `kind` beside an optional number:
 * an import file then cannot say a number of months for a long-term licence.
 */
export type ResultValidity = { months: number } | { longTerm: true } | { byIdCardAge: true } | { byPassportAge: true }
export const RESULT_VALIDITY_KINDS = ['months', 'longTerm', 'byIdCardAge', 'byPassportAge'] as const
export type ResultValidityKind = typeof RESULT_VALIDITY_KINDS[number]

export interface DepartmentRef { code: string, name: string }

export interface Department extends DepartmentRef { nameEn: string }

/**
 * Field types: the formats (idNumber, uscc, mobile, email, bankAccount) are checked and normalised
 * by shared/utils/form-schema.ts in the browser and on the server alike.
 */
export const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'select', 'radio', 'checkbox', 'idNumber', 'uscc', 'mobile', 'email', 'bankAccount', 'file'] as const
export type FieldType = typeof FIELD_TYPES[number]

/** What a field can be prefilled with from the applicant's profile. */
export const PREFILL_SOURCES = ['name', 'idNumber', 'mobile', 'email', 'orgName', 'orgCode'] as const
export type PrefillSource = typeof PREFILL_SOURCES[number]

export interface FieldOption { value: string, label: LocalText }

export interface FormField {
  key: string
  type: FieldType
  label: LocalText
  required: boolean
  options?: FieldOption[]
  /** number: smallest and largest value; date: not used */
  min?: number
  max?: number
  maxLength?: number
  /** the field exists only when another answer equals a value */
  showIf?: { field: string, equals: string | number | boolean }
  hint?: LocalText
  /** key of the section (FormDefinition.sections) the field belongs to */
  section?: string
  prefill?: PrefillSource
}

export interface FormSection { key: string, title: LocalText }

export interface FormDefinition {
  version: 1
  sections?: FormSection[]
  fields: FormField[]
}

export interface ServiceSummary {
  code: string
  name: string
  nameEn: string
  /** with its English name, so English pages need not show the Chinese one */
  department: Department
  audience: Audience
  onlineDepth: OnlineDepth
  onlineAvailable: boolean
  processType: ProcessType
}

export interface ServiceGuide extends ServiceSummary, GuideOptionalElements {
  /** 基本编码 (national basic code of the item) */
  basicCode: string
  type: ItemType
  legalLimitDays: number
  promisedLimitDays: number
  suitableOnline: boolean
  /** reason the item is not suitable online (e.g. on-site inspection), when suitableOnline is false */
  unsuitableReason: string | null
  /** 到办事现场次数 */
  visits: number
  /** why the applicant must come in person, when visits > 0 */
  visitsReason: string | null
  themes: string[]
  keywords: string[]
  conditions: string[]
  materials: Material[]
  fees: Fee[]
  steps: Step[]
  location: string
  hours: string
  consultPhone: string
  complaintPhone: string
  legalBasis: string[]
  resultName: string | null
  /** the licence's English title, where one is given */
  resultNameEn?: string | null
  form: FormDefinition | null
}

/** One item as written in the seed (db/seed/catalogue): the department by its code; availability is derived. */
export type SeedService = Omit<ServiceGuide, 'department' | 'onlineAvailable'> & { department: string }

/** A theme (主题) for people (life events) or organisations (enterprise life cycle). */
export interface Theme { code: string, audience: 'person' | 'organization', name: LocalText }
