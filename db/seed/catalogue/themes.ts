import type { Theme } from '../../../shared/types/catalogue'

/** 主题：个人（生命周期）与法人（企业全生命周期） */
export const themes: Theme[] = [
  { code: 'birth-adoption', audience: 'person', name: { zh: '生育收养', en: 'Birth and adoption' } },
  { code: 'household', audience: 'person', name: { zh: '户籍办理', en: 'Household registration' } },
  { code: 'marriage', audience: 'person', name: { zh: '婚姻登记', en: 'Marriage registration' } },
  { code: 'education', audience: 'person', name: { zh: '教育科研', en: 'Education and research' } },
  { code: 'employment', audience: 'person', name: { zh: '就业创业', en: 'Employment and entrepreneurship' } },
  { code: 'social-security', audience: 'person', name: { zh: '社会保障', en: 'Social security' } },
  { code: 'health', audience: 'person', name: { zh: '医疗卫生', en: 'Health and medical care' } },
  { code: 'housing', audience: 'person', name: { zh: '住房保障', en: 'Housing' } },
  { code: 'transport', audience: 'person', name: { zh: '交通出行', en: 'Transport and travel' } },
  { code: 'exit-entry', audience: 'person', name: { zh: '出境入境', en: 'Exit and entry' } },
  { code: 'elderly', audience: 'person', name: { zh: '养老服务', en: 'Elderly care' } },
  { code: 'disability', audience: 'person', name: { zh: '残疾人服务', en: 'Services for persons with disabilities' } },
  { code: 'provident-fund', audience: 'person', name: { zh: '公积金', en: 'Housing provident fund' } },
  { code: 'certificates', audience: 'person', name: { zh: '证件办理', en: 'Certificates and ID documents' } },
  { code: 'legal', audience: 'person', name: { zh: '法律服务', en: 'Legal services' } },
  { code: 'establishment', audience: 'organization', name: { zh: '设立变更', en: 'Establishment and changes' } },
  { code: 'permits', audience: 'organization', name: { zh: '准营准办', en: 'Operating permits' } },
  { code: 'construction', audience: 'organization', name: { zh: '工程建设', en: 'Construction projects' } },
  { code: 'tax', audience: 'organization', name: { zh: '纳税缴费', en: 'Taxes and fees' } },
  { code: 'talent-labour', audience: 'organization', name: { zh: '人才与用工', en: 'Talent and employment' } },
  { code: 'deregistration', audience: 'organization', name: { zh: '注销', en: 'Deregistration' } },
  { code: 'environment', audience: 'organization', name: { zh: '环保', en: 'Environmental protection' } },
  { code: 'safety', audience: 'organization', name: { zh: '安全生产', en: 'Work safety' } },
  { code: 'trade', audience: 'organization', name: { zh: '进出口', en: 'Import and export' } },
]
