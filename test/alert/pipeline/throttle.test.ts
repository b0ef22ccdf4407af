import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {decide, remainingThisHour, routes, type SentRecord} from '../../../src/alert/pipeline/throttle'

const T0 = 1_800_000_000_000
const firedAt = (at: number, severity: SentRecord['severity'] = 'warning'): SentRecord => ({status: 'firing', severity, firingAt: at})

describe('decide (min_interval 300 s)', () => {
  const cases: [string, Parameters<typeof decide>[0], SentRecord | undefined, number, boolean][] = [
    ['a first firing goes out', {kind: 'firing', severity: 'warning'}, undefined, T0, true],
    ['the same alert firing again 2 min later does not', {kind: 'firing', severity: 'warning'}, firedAt(T0 - 120_000), T0, false],
    ['…nor at a lower severity', {kind: 'severity', severity: 'warning'}, firedAt(T0 - 120_000, 'error'), T0, false],
    ['…but a severity rise does', {kind: 'severity', severity: 'critical'}, firedAt(T0 - 120_000, 'warning'), T0, true],
    ['after min_interval it goes out again', {kind: 'firing', severity: 'warning'}, firedAt(T0 - 300_000), T0, true],
    ['a resolution of a notified alert goes out', {kind: 'resolved', severity: 'warning'}, firedAt(T0 - 60_000), T0, true],
    ['a resolution of an alert never notified does not', {kind: 'resolved', severity: 'warning'}, undefined, T0, false],
    ['nor one already sent', {kind: 'resolved', severity: 'warning'}, {status: 'resolved', severity: 'warning', firingAt: T0 - 60_000}, T0, false],
  ]
  for (const [name, event, last, now, expected] of cases) it(name, () => assert.equal(decide(event, last, 300, now).send, expected))

  it('records the firing time only when a firing goes out', () => {
    assert.deepEqual(decide({kind: 'resolved', severity: 'error'}, firedAt(T0 - 60_000, 'error'), 300, T0), {send: true, record: {status: 'resolved', severity: 'error', firingAt: T0 - 60_000}})
  })
})

describe('remainingThisHour', () => {
  it('counts only the sends of the last hour', () => {
    // limit 10; 3 sends within the hour, 2 older than an hour
    assert.equal(remainingThisHour([T0 - 10, T0 - 1000, T0 - 3_599_000, T0 - 3_600_001, T0 - 7_200_000], 10, T0), 7)
    assert.equal(remainingThisHour(Array.from({length: 12}, (_v, index) => T0 - index), 10, T0), 0)
  })
})

describe('routes', () => {
  it('takes events at or above the channel minimum, a resolution at the severity it had', () => {
    assert.equal(routes({kind: 'firing', severity: 'warning'}, 'error'), false)
    assert.equal(routes({kind: 'firing', severity: 'critical'}, 'error'), true)
    assert.equal(routes({kind: 'resolved', severity: 'warning', previous: 'critical'}, 'error'), true)
    assert.equal(routes({kind: 'firing', severity: 'info'}, 'warning'), false)
  })
})
