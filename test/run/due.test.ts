import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {defaults} from '../../src/config/defaults'
import {dueTiers, isDue} from '../../src/run/due'

const T0 = 1_800_000_000_000

describe('what is due', () => {
  it('everything on an empty Redis', () => assert.deepEqual(dueTiers({}, defaults, T0), ['basic', 'detailed', 'extended']))
  it('only basic 10 s after a full collection', () => {
    const meta = {'last:basic': String(T0 - 10_000), 'last:detailed': String(T0 - 10_000), 'last:extended': String(T0 - 10_000)}
    assert.deepEqual(dueTiers(meta, defaults, T0), ['basic'])
  })
  it('tolerates a timer firing a little early (a tenth of the interval, at most 1 s)', () => {
    assert.equal(isDue(T0 - 9_000, 10, T0), true)
    assert.equal(isDue(T0 - 8_900, 10, T0), false)
    assert.equal(isDue(T0 - 299_000, 300, T0), true)
    assert.equal(isDue(T0 - 298_000, 300, T0), false)
  })
  it('treats a last time in the future (clock went back) as due', () => assert.equal(isDue(T0 + 60_000, 10, T0), true))
})
