/**
 * The one way the server writes a log line: one JSON object per line, for the log collector, with
 * every value passed through redactForLog. A message or a path can carry an ID or a mobile number
 * the caller never meant to log (a service code typed as an ID number, a database error quoting a
 * value), so the writer masks them rather than trusting each call site. Names, passwords, tokens
 * and answers cannot be recognised in free text: those simply never go into a field.
 */
import { redactForLog } from './log-redaction'

export type LogLevel = 'info' | 'warn' | 'error'

/** A log line: its level, what happened (`backup.failed`) and any other fields. */
export interface LogLine {
  level: LogLevel
  event: string
  [field: string]: unknown
}

// deep enough for the lines we write; anything below is left out rather than walked
const MAX_DEPTH = 4
const MAX_ITEMS = 50

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactForLog(value)
  if (typeof value === 'number') {
    // a mobile number can arrive as a number too
    const text = String(value)
    const masked = redactForLog(text)
    return masked === text ? value : masked
  }
  if (typeof value === 'bigint') return redactForLog(String(value))
  if (value === null || value === undefined || typeof value === 'boolean') return value
  // an Error's own fields (stack, cause, a driver's values) are not for the log: its message only
  if (value instanceof Error) return redactForLog(value.message)
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return undefined
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map(v => redactValue(v, depth + 1))
  const entries = Object.entries(value).slice(0, MAX_ITEMS)
  return Object.fromEntries(entries.map(([k, v]) => [k, redactValue(v, depth + 1)]))
}

/** Writes `line` as one redacted JSON line: `error` and `warn` to stderr, `info` to stdout. */
export function logLine(line: LogLine): void {
  const text = JSON.stringify(redactValue(line, 0))
  if (line.level === 'error') console.error(text)
  else if (line.level === 'warn') console.warn(text)
  else console.info(text)
}
