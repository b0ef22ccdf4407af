import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {it} from 'node:test'

import {collectors} from '../../src/collect/registry'

it('registers every collector file exactly once', () => {
  const files = readdirSync(join(__dirname, '..', '..', 'src', 'collect', 'collectors')).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, ''))
  const registered = collectors.map((collector) => collector.name)
  assert.deepEqual([...registered].sort(), [...files].sort())
  assert.equal(new Set(registered).size, registered.length)
})
