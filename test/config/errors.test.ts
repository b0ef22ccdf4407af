import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {parse} from 'yaml'

import {ConfigError} from '../../src/cli/errors'
import {resolveConfig} from '../../src/config/resolve'

const DIR = join(__dirname, '..', 'fixtures', 'config', 'errors')

// One file per error case; its first line says the exact message expected.
describe('configuration errors name the key path', () => {
  for (const file of readdirSync(DIR).filter((name) => name.endsWith('.yaml')).sort()) {
    it(file, () => {
      const text = readFileSync(join(DIR, file), 'utf8')
      const expected = /^# expect: (.*)$/m.exec(text)?.[1]
      assert.ok(expected, `${file} has no "# expect:" line`)
      assert.throws(() => resolveConfig(parse(text), {}), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.message, expected)
        assert.equal(error.exitCode, 2)
        return true
      })
    })
  }
})
