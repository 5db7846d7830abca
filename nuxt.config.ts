import { cpSync } from 'node:fs'
import { join } from 'node:path'
import type { NitroOptions } from 'nitropack'

// Separate build and output folders let several builds (tests, benchmarks) coexist in one checkout.
const buildDir = process.env.NUXT_BUILD_DIR || '.nuxt'
const outputDir = process.env.NITRO_OUTPUT_DIR || '.output'

export default defineNuxtConfig({
  modules: ['@nuxt/eslint', '@nuxt/ui', '@nuxtjs/i18n', '@pinia/nuxt', 'nuxt-security'],
  devtools: { enabled: false },
  app: {
    head: {
      titleTemplate: '%s',
      meta: [{ name: 'viewport', content: 'width=device-width, initial-scale=1' }],
    },
  },
  css: ['~/assets/css/main.css'],
  // Nothing may be fetched from another host: no remote fonts, icons bundled from @iconify-json.
  ui: { fonts: false, colorMode: false },
  srcDir: '.',
  buildDir,
  nitro: {
    output: { dir: outputDir },
  },
  typescript: { strict: true },
  telemetry: false,
  hooks: {
    'nitro:init'(nitro) {
      // server/error.ts runs before the framework's error handlers, to keep query strings out of their log lines
      const options = nitro.options as typeof nitro.options & Pick<NitroOptions, 'errorHandler' | 'rootDir'>
      options.errorHandler = [join(options.rootDir, 'server/error.ts'), ...[options.errorHandler].flat()]
      // The migrations travel with the built server, which applies them on start.
      nitro.hooks.hook('compiled', () => {
        cpSync('db/migrations', join(nitro.options.output.serverDir, 'migrations'), { recursive: true })
      })
    },
  },
  eslint: { config: { stylistic: true } },
  i18n: {
    strategy: 'prefix_except_default',
    defaultLocale: 'zh',
    locales: [
      { code: 'zh', language: 'zh-CN', name: '简体中文', files: ['zh/common.json', 'zh/catalogue.json', 'zh/account.json', 'zh/form.json', 'zh/case.json', 'zh/report.json', 'zh/manage.json', 'zh/result.json', 'zh/validation.json'] },
      { code: 'en', language: 'en', name: 'English', files: ['en/common.json', 'en/catalogue.json', 'en/account.json', 'en/form.json', 'en/case.json', 'en/report.json', 'en/manage.json', 'en/result.json', 'en/validation.json'] },
    ],
    detectBrowserLanguage: false,
    baseUrl: process.env.PORTAL_BASE_URL,
  },
  icon: { provider: 'none', serverBundle: 'local', clientBundle: { scan: true, sizeLimitKb: 64 } },
  security: {
    nonce: true,
    headers: {
      contentSecurityPolicy: {
        'default-src': ['\'self\''],
        'script-src': ['\'self\'', '\'nonce-{{nonce}}\'', '\'strict-dynamic\''],
        'style-src': ['\'self\'', '\'unsafe-inline\''],
        'img-src': ['\'self\'', 'data:', 'blob:'],
        'font-src': ['\'self\''],
        'connect-src': ['\'self\''],
        'object-src': ['\'none\''],
        'base-uri': ['\'none\''],
        'form-action': ['\'self\''],
        'frame-ancestors': ['\'none\''],
        'upgrade-insecure-requests': false,
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
      // HSTS is only meaningful over HTTPS; server/middleware/https.ts adds it there.
      strictTransportSecurity: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    },
    // Our own limits: per-address login throttling in the auth service, size limits per route.
    rateLimiter: false,
    xssValidator: false,
    corsHandler: false,
    // Body size limits per route live in server/middleware/10.request-hygiene.ts.
    requestSizeLimiter: false,
  },
})
