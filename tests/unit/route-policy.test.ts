/**
 * Deny by default: every handler under server/api must be made with defineApiHandler and name who
 * may call it. A new route without a declared policy fails here before it can ship.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

function handlerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? handlerFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [])
}

const POLICY = /export default defineApiHandler\(\s*('public'|'signedIn'|\[(?:\s*'(?:citizen|clerk|manager|admin|auditor)'\s*,?)+\])\s*,/

describe('route inventory', () => {
  const files = handlerFiles('server/api')

  it('finds the API routes', () => {
    expect(files.length).toBeGreaterThan(5)
  })

  it.each(files.map(f => [relative('server/api', f), f]))('%s declares who may call it', (_name, file) => {
    const source = readFileSync(file, 'utf8')
    expect(source).toMatch(POLICY)
    expect(source).not.toMatch(/defineEventHandler/)
  })
})
