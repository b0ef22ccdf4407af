import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {Level} from '../../src/rules/resources'
import {advance, keepAbsent, type AlertState, type Observation, severityWithHysteresis} from '../../src/rules/state'

const LEVELS: Level[] = [{severity: 'warning', threshold: 75}, {severity: 'error', threshold: 85}, {severity: 'critical', threshold: 95}]
const T0 = 1_800_000_000_000

describe('severityWithHysteresis (hysteresis 5)', () => {
  const cases: [number | null, AlertState['severity'] | undefined, string | undefined][] = [
    // value, current severity, expected
    [70, undefined, undefined],
    [75, undefined, 'warning'],
    [86, undefined, 'error'],
    [99, undefined, 'critical'],
    [72, 'warning', 'warning'], // holds: 72 ≥ 75 − 5
    [69.9, 'warning', undefined], // clears below 70
    [83, 'error', 'error'], // holds: 83 ≥ 85 − 5
    [79, 'error', 'warning'], // steps down: below 80 but still ≥ 75
    [91, 'critical', 'critical'],
    [89, 'critical', 'error'],
    [null, 'critical', undefined],
  ]
  for (const [value, current, expected] of cases) {
    it(`${value} while ${current ?? 'ok'} → ${expected ?? 'ok'}`, () => {
      assert.equal(severityWithHysteresis(value, LEVELS, 5, current)?.severity, expected)
    })
  }
})

const observe = (value: number | null, forS = 0): Observation => ({key: 'h/memory/memory.percent', rule: 'memory', series: 'memory.percent', labels: {}, value, levels: LEVELS, hysteresis: 5, forS, summary: `memory.percent = ${value} %`})

describe('advance: ok → pending → firing → resolved', () => {
  it('fires at once when for is 0', () => {
    const {next, events} = advance('h', undefined, observe(80), T0)
    assert.equal(next?.state, 'firing')
    assert.equal(next?.severity, 'warning')
    assert.deepEqual(events.map((event) => [event.kind, event.severity, event.threshold]), [['firing', 'warning', 75]])
    assert.equal(events[0]?.message, 'memory.percent = 80 % (≥ 75)')
  })

  it('waits in pending until the condition has held for `for` seconds', () => {
    const pending = advance('h', undefined, observe(80, 60), T0)
    assert.equal(pending.next?.state, 'pending')
    assert.deepEqual(pending.events.map((event) => event.kind), ['pending'])
    const still = advance('h', pending.next, observe(81, 60), T0 + 50_000)
    assert.equal(still.next?.state, 'pending')
    assert.deepEqual(still.events, [])
    const fired = advance('h', still.next, observe(82, 60), T0 + 60_000)
    assert.equal(fired.next?.state, 'firing')
    assert.equal(fired.next?.since, T0, 'since is when the condition began')
    assert.deepEqual(fired.events.map((event) => event.kind), ['firing'])
  })

  it('cancels a pending alert that clears before it fires', () => {
    const pending = advance('h', undefined, observe(80, 60), T0)
    const cleared = advance('h', pending.next, observe(60, 60), T0 + 20_000)
    assert.equal(cleared.next, undefined)
    assert.deepEqual(cleared.events.map((event) => event.kind), ['cancelled'])
  })

  it('records a severity change as an event, up and down', () => {
    const fired = advance('h', undefined, observe(80), T0)
    const rose = advance('h', fired.next, observe(96), T0 + 10_000)
    assert.deepEqual(rose.events.map((event) => [event.kind, event.previous, event.severity]), [['severity', 'warning', 'critical']])
    const fell = advance('h', rose.next, observe(86), T0 + 20_000)
    assert.deepEqual(fell.events.map((event) => [event.kind, event.previous, event.severity]), [['severity', 'critical', 'error']])
  })

  it('does not flap while the value hovers at the threshold', () => {
    let state = advance('h', undefined, observe(76), T0).next
    const kinds: string[] = []
    for (const [index, value] of [74, 76, 73, 75.5, 71].entries()) {
      const step = advance('h', state, observe(value), T0 + (index + 1) * 10_000)
      state = step.next
      kinds.push(...step.events.map((event) => event.kind))
    }
    assert.deepEqual(kinds, [])
    assert.equal(state?.state, 'firing')
  })

  it('resolves when the value falls below threshold − hysteresis', () => {
    const fired = advance('h', undefined, observe(80), T0)
    const resolved = advance('h', fired.next, observe(69), T0 + 10_000)
    assert.equal(resolved.next, undefined)
    assert.deepEqual(resolved.events.map((event) => [event.kind, event.previous]), [['resolved', 'warning']])
  })

  it('keeps a firing alert without a value as it is, and ends it after absent_after with a message that says so', () => {
    const fired = advance('h', undefined, observe(80), T0)
    const absent = keepAbsent('h', fired.next!, T0 + 10_000, 100_000)
    assert.deepEqual(absent.events, [])
    assert.equal(absent.next?.state, 'firing')
    assert.equal(absent.next?.absentSince, T0 + 10_000)
    assert.deepEqual(keepAbsent('h', absent.next!, T0 + 109_000, 100_000).events, [])
    const gone = keepAbsent('h', absent.next!, T0 + 110_000, 100_000)
    assert.equal(gone.next, undefined)
    assert.deepEqual(gone.events.map((event) => [event.kind, event.value, event.message]), [['resolved', null, 'memory.percent not reported for 1 min 40 s']])
    const back = advance('h', absent.next, observe(81), T0 + 20_000)
    assert.equal(back.next?.absentSince, undefined, 'a value again restarts the absence clock')
  })

  it('keeps the acknowledgement across updates', () => {
    const fired = advance('h', undefined, observe(80), T0)
    const acked = {...fired.next!, acknowledged: {at: T0, by: 'ops', comment: ''}}
    const later = advance('h', acked, observe(96), T0 + 10_000)
    assert.deepEqual(later.next?.acknowledged, {at: T0, by: 'ops', comment: ''})
  })

  it('counts `for` from the last rise to the raw threshold: a dip below it restarts the timer', () => {
    const withFor = (value: number) => ({...observe(value), forS: 60})
    let step = advance('h', undefined, withFor(77), T0)
    assert.equal(step.next?.state, 'pending')
    step = advance('h', step.next, withFor(78), T0 + 30_000)
    const dip = advance('h', step.next, withFor(73), T0 + 40_000)
    assert.equal(dip.next, undefined, 'below the raw threshold (hysteresis does not hold a pending alert)')
    assert.deepEqual(dip.events.map((event) => event.kind), ['cancelled'])
    step = advance('h', dip.next, withFor(77), T0 + 50_000)
    assert.equal(advance('h', step.next, withFor(77), T0 + 100_000).next?.state, 'pending', '50 s after the new rise: still pending')
    const fired = advance('h', step.next, withFor(77), T0 + 110_000)
    assert.deepEqual(fired.events.map((event) => [event.kind, event.message]), [['firing', 'memory.percent = 77 % (≥ 75)']])
  })

  it('says when hysteresis holds a level the value is below', () => {
    const fired = advance('h', undefined, observe(90), T0)
    assert.equal(fired.next?.message, 'memory.percent = 90 % (≥ 85)')
    const held = advance('h', fired.next, observe(83), T0 + 10_000)
    assert.equal(held.next?.severity, 'error')
    assert.equal(held.next?.message, 'memory.percent = 83 % (error level 85 held until below 80)')
  })
})
