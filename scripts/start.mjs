#!/usr/bin/env node
/**
 * `npm start`: builds the portal when the build is missing or older than the sources, then serves
 * it with demo data (PORTAL_DEMO=1 unless set) on http://localhost:3000 (PORT, HOST to change).
 */
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const entry = '.output/server/index.mjs'
const SOURCES = ['pages', 'components', 'composables', 'layouts', 'plugins', 'middleware', 'server', 'shared', 'stores', 'db', 'i18n', 'assets', 'app.vue', 'error.vue', 'nuxt.config.ts', 'package-lock.json']

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), st.mtimeMs)
}

const built = existsSync(entry) ? statSync(entry).mtimeMs : 0
if (built < Math.max(...SOURCES.map(newestMtime))) {
  console.log(built ? 'Sources changed since the last build: building…' : 'First start: building the portal (a few minutes)…')
  const result = spawnSync('npx', ['nuxt', 'build'], { stdio: 'inherit', env: { ...process.env, NUXT_BUILD_DIR: '', NITRO_OUTPUT_DIR: '' } })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const env = { ...process.env, PORTAL_DEMO: process.env.PORTAL_DEMO ?? '1' }
console.log(`Serving on http://localhost:${env.PORT || 3000} (demo data: ${env.PORTAL_DEMO === '1' ? 'on' : 'off'})`)
const server = spawn(process.execPath, [entry], { stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', code => process.exit(code ?? 0))
