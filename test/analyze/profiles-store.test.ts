import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {analyze} from '../../src/analyze/analyze'
import {defaults} from '../../src/config/defaults'
import {keysFor} from '../../src/store/keys'
import {readProfiles} from '../../src/store/profiles'
import {log} from '../helpers/alerting'
import {testRedis} from '../helpers/redis'
import {seedTier} from '../helpers/seed'

const DAY = 86_400_000
const MINUTE = 60_000

describe('the daily profiles kept between analyses', () => {
  let redis: Redis
  let prefix: string
  let cleanup: () => Promise<void>
  // Half past noon, a whole number of extended intervals after midnight.
  const now = Date.UTC(2027, 0, 10, 12, 30)
  // Every day 0 until noon and 50 after; the training day alternates ±1 around that.
  const usual = (atMs: number) => ((atMs % DAY) >= DAY / 2 ? 50 : 0)

  before(async () => {
    ({redis, prefix, cleanup} = await testRedis())
    await seedTier(redis, prefix, 'h', 'extended', 3 * 288, 300, now, (index) => ({'cpu.percent': usual(now - (3 * 288 - 1 - index) * 300_000)}))
    await seedTier(redis, prefix, 'h', 'detailed', 1440, 60, now, (index) => {
      const atMs = now - (1439 - index) * MINUTE
      return {'cpu.percent': usual(atMs) + (index % 2 ? 1 : -1)}
    })
    await redis.hset(keysFor(prefix).meta('h'), 'last:extended', String(now))
  })
  after(() => cleanup())

  const run = () => analyze({redis, keys: keysFor(prefix), host: 'h', config: {...defaults, redis: {...defaults.redis, prefix}}, log, now: () => now})

  it('makes them once, keeps them until the daily tier has a newer sample, and uses what it kept', async () => {
    const keys = keysFor(prefix)
    assert.deepEqual((await run()).anomalies, [], 'the afternoon level is usual')
    const stored = await readProfiles(redis, keys, 'h')
    assert.equal(stored?.through, now)
    assert.equal(stored?.profiles.get('cpu.percent')?.length, 288)

    // What is kept is what the next analysis judges by: a kept profile that says 0 around 12:30 makes the 50 of now unusual.
    const quietAtNoon = Float64Array.from(stored?.profiles.get('cpu.percent') ?? [], (value, slot) => (slot >= 140 && slot <= 160 ? 0 : value))
    await redis.hset(keys.analysisProfile('h'), 'cpu.percent', Buffer.from(quietAtNoon.buffer))
    const [high] = (await run()).anomalies
    assert.deepEqual([high?.series, high?.baseline], ['cpu.percent', 'daily'])
    assert.ok(Math.abs(high?.mean ?? 99) < 1, `judged against ${high?.mean}`)

    // A newer extended sample: made again from the tier.
    await seedTier(redis, prefix, 'h', 'extended', 1, 300, now + 1000, () => ({'cpu.percent': 50}))
    await redis.hset(keys.meta('h'), 'last:extended', String(now + 1000))
    assert.deepEqual((await run()).anomalies, [])
    assert.equal((await readProfiles(redis, keys, 'h'))?.through, now + 1000)
  })
})
