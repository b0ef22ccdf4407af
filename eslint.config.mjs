import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['lib/**', 'node_modules/**', 'man/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly'}},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
      'no-restricted-imports': ['error', {paths: [
        {name: 'child_process', importNames: ['exec', 'execSync'], message: 'Spawn with an argument array (execFile), never a shell string.'},
        {name: 'node:child_process', importNames: ['exec', 'execSync'], message: 'Spawn with an argument array (execFile), never a shell string.'},
      ]}],
    },
  },
  {files: ['bin/*.js', 'scripts/*.mjs'], rules: {'@typescript-eslint/no-require-imports': 'off'}},
)
