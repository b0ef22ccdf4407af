import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {AlertEvent} from '../../../src/alert/notification'
import {groupEvents} from '../../../src/alert/pipeline/group'

const T0 = 1_800_000_000_000
const event = (key: string, at: number): AlertEvent => ({host: 'h', key, rule: 'cpu', series: 'cpu.percent', labels: {}, kind: 'firing', severity: 'warning', value: 90, threshold: 70, since: at, at, message: key})

describe('groupEvents (window 60 s)', () => {
  const events = [event('a', T0), event('b', T0 + 20_000), event('c', T0 + 59_000), event('d', T0 + 70_000)]

  it('keeps events waiting while their window is open', () => {
    assert.deepEqual(groupEvents(events, 60, T0 + 30_000), {ready: [], waiting: events})
  })

  it('makes one group of what falls in a closed window; later events wait for theirs', () => {
    const {ready, waiting} = groupEvents(events, 60, T0 + 60_000)
    assert.deepEqual(ready.map((group) => group.map((item) => item.key)), [['a', 'b', 'c']])
    assert.deepEqual(waiting.map((item) => item.key), ['d'])
  })

  it('with a window of 0, groups each check (same time) on its own', () => {
    const same = [event('a', T0), event('b', T0), event('c', T0 + 10_000)]
    assert.deepEqual(groupEvents(same, 0, T0 + 10_000).ready.map((group) => group.map((item) => item.key)), [['a', 'b'], ['c']])
  })
})
