import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  { ignores: ['admin/**', 'build/**', 'storage/**', '.tools/**'] },
  {
    // `(await client.get(url)).assertStatus(200)` reads best in tests.
    files: ['tests/**/*.ts'],
    rules: { '@unicorn/no-await-expression-member': 'off' },
  }
)
