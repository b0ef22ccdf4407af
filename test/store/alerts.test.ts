import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {acknowledge, listAlerts} from '../../src/alert/people'
import type {AlertState} from '../../src/rules/state'
import {parseEvent, parseStates, parseTold, writeStates} from '../../src/store/alerts'
import {keysFor} from '../../src/store/keys'
import {testRedis} from '../helpers/redis'

const T0 = Date.UTC(2026, 10, 25, 12)
const good: AlertState = {key: 'web1/memory/memory.percent', rule: 'memory', series: 'memory.percent', labels: {}, state: 'firing', severity: 'warning', value: 80, threshold: 75, message: 'm', since: T0, firingSince: T0, updatedAt: T0}

describe('alert records: one parser each, a malformed record skipped and named', () => {
  const cases: [string, unknown][] = [
    ['labels null', {...good, labels: null}],
    ['labels a list', {...good, labels: ['x']}],
    ['an unknown severity', {...good, severity: 'fatal'}],
    ['no rule', {...good, rule: undefined}],
    ['an unknown state', {...good, state: 'resolved'}],
    ['not an object', [good]],
  ]
  for (const [name, record] of cases) {
    it(`skips a state with ${name}`, () => {
      const skipped: string[] = []
      const states = parseStates({bad: JSON.stringify(record), fine: JSON.stringify(good), broken: '{'}, (field) => skipped.push(field))
      assert.deepEqual([[...states.keys()], skipped], [['fine'], ['bad', 'broken']])
    })
  }

  it('reads an event without labels with empty labels, and refuses one without its episode', () => {
    const event = {host: 'web1', key: good.key, rule: 'memory', series: 'memory.percent', kind: 'firing', severity: 'warning', value: 80, threshold: 75, since: T0, at: T0, message: 'm'}
    assert.deepEqual(parseEvent(['1-0', ['event', JSON.stringify(event)]])?.labels, {})
    assert.equal(parseEvent(['1-0', ['event', JSON.stringify({...event, since: undefined})]]), undefined)
  })

  it('reads told records of the earlier layout as "told nothing"', () => {
    assert.deepEqual([...parseTold({'email|k': JSON.stringify({status: 'firing', severity: 'warning', firingAt: T0})})], [])
  })
})

describe('acknowledgements are records of their own', () => {
  it('a check that rewrites the states with a copy read before the ack does not lose it', async () => {
    const {redis, prefix, cleanup} = await testRedis()
    try {
      const keys = keysFor(prefix)
      await redis.hset(keys.alerts('web1'), good.key, JSON.stringify(good))
      // check reads the states …
      const readByCheck = parseStates(await redis.hgetall(keys.alerts('web1')))
      // … someone acknowledges meanwhile …
      assert.deepEqual(await acknowledge(redis, keys, 'web1/memory/*', 'on it', T0 + 1000), [good.key])
      // … and check writes its updated copy.
      const multi = redis.multi()
      writeStates(multi, keys, 'web1', readByCheck, new Map([[good.key, {...good, value: 81, updatedAt: T0 + 2000}]]))
      await multi.exec()
      const [alert] = await listAlerts(redis, keys, ['web1'])
      assert.deepEqual([alert?.value, alert?.acknowledged], [81, true])
      // A new episode of the same alert is not acknowledged.
      const again = redis.multi()
      writeStates(again, keys, 'web1', new Map([[good.key, good]]), new Map([[good.key, {...good, since: T0 + 60_000}]]))
      await again.exec()
      assert.equal((await listAlerts(redis, keys, ['web1']))[0]?.acknowledged, false)
    } finally {
      await cleanup()
    }
  })
})
