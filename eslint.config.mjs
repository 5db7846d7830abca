import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  { ignores: ['db/migrations/**', '.output*/**', '.nuxt*/**', '.data*/**', 'test-results/**'] },
  {
    rules: {
      // Short guard clauses (`if (x) { a; return }`) read better on one line.
      '@stylistic/max-statements-per-line': ['error', { max: 3 }],
      '@stylistic/member-delimiter-style': 'off',
    },
  },
)
