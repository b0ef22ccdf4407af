import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {toJsonOutput} from '../../src/cli/json'

describe('--json: snake_case keys and ISO times, data keys untouched', () => {
  it('converts what the code names in camelCase and epoch ms', () => {
    const at = Date.UTC(2026, 10, 25, 12)
    assert.deepEqual(toJsonOutput({createdAt: at, nextAttemptAt: at, heldBack: {count: 1}, at, since: at, until: at, attempts: 3, sinceS: 3600, lastSeen: '2026-11-25T12:00:00.000Z'}), {
      created_at: '2026-11-25T12:00:00.000Z', next_attempt_at: '2026-11-25T12:00:00.000Z', held_back: {count: 1}, at: '2026-11-25T12:00:00.000Z',
      since: '2026-11-25T12:00:00.000Z', until: '2026-11-25T12:00:00.000Z', attempts: 3, since_s: 3600, last_seen: '2026-11-25T12:00:00.000Z',
    })
  })

  it('keeps other numbers to three decimals', () => {
    assert.deepEqual(toJsonOutput({avg: 20.497500000000002, p95: 47.145749999999985, count: 3}), {avg: 20.498, p95: 47.146, count: 3})
  })

  it('leaves series names, labels, host names and small numbers alone', () => {
    const value = {series: {'disk.used_percent{mount="/Data"}': 1, 'cpu.percent': 2}, labels: {mount: '/Data'}, hosts: [{host: 'WebServer'}], doc: {in_s: 120, at: 5}}
    assert.deepEqual(toJsonOutput(value), value)
  })
})
