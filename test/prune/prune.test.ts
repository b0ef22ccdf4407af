import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {prune} from '../../src/prune/prune'
import {resolveConfig} from '../../src/config/resolve'
import {type Keys, keysFor} from '../../src/store/keys'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'
import {readSamples} from '../../src/store/samples'

describe('prune', () => {
  let redis: Redis
  let keys: Keys
  let cleanup: () => Promise<void>
  let prefix: string
  const now = 1_800_000_000_000
  const hour = 3_600_000

  before(async () => {
    ;({redis, prefix, cleanup} = await testRedis())
    keys = keysFor(prefix)
    // basic keeps 1 h: 5 entries older than that, 3 newer; one exactly at the cut-off stays
    for (const minutesAgo of [180, 120, 90, 70, 61, 60, 30, 1]) await redis.xadd(keys.samples('web1', 'basic'), `${now - minutesAgo * 60_000}-0`, 'cpu.percent', '1')
    await redis.xadd(keys.alertLog('web1'), `${now - 8 * 24 * hour}-0`, 'event', '{}')
    // extended keeps 7 days: the 8-day-old sample goes, and its schema (no kept entry uses it) with it
    await writeSample(redis, keys, 'web1', 'extended', now - 8 * 24 * hour, {'sensors.temp_c{chip="old"}': 40})
    await writeSample(redis, keys, 'web1', 'extended', now - hour, {'proc.count': 120})
    await redis.xadd(keys.alertLog('web1'), `${now - hour}-0`, 'event', '{}')
    await redis.zadd(keys.deadletter, now - 31 * 24 * hour, 'old', now - hour, 'recent')
    await redis.zadd(keys.hosts, now - hour, 'web1', now - 40 * 24 * hour, 'gone')
    await writeSample(redis, keys, 'gone', 'basic', now - 40 * 24 * hour, {'cpu.percent': 1})
    await redis.hset(keys.meta('gone'), 'last:basic', '1')
    await redis.hset(keys.silences, 'expired', JSON.stringify({until: now - 1}), 'active', JSON.stringify({until: now + hour}))
  })
  after(() => cleanup())

  it('--dry-run counts exactly what is past retention and removes nothing', async () => {
    const result = await prune({redis, keys, config: resolveConfig({}, {}), now, dryRun: true})
    assert.deepEqual(result.streams, [{host: 'web1', stream: 'samples:basic', removed: 5}, {host: 'web1', stream: 'samples:extended', removed: 1}, {host: 'web1', stream: 'alerts:log', removed: 1}])
    assert.equal(result.deadLetters, 1)
    assert.equal(result.schemas, 1)
    assert.equal(await redis.hlen(keys.schemas('web1')), 2)
    assert.deepEqual(result.forgottenHosts, ['gone'])
    assert.equal(await redis.xlen(keys.samples('web1', 'basic')), 8)
    assert.equal(await redis.exists(keys.meta('gone')), 1)
  })

  it('removes exactly that and nothing else', async () => {
    const result = await prune({redis, keys, config: resolveConfig({}, {}), now})
    assert.equal(result.streams.reduce((sum, entry) => sum + entry.removed, 0), 7)
    assert.equal(result.schemas, 1)
    assert.equal(await redis.hlen(keys.schemas('web1')), 1)
    const kept = await readSamples(redis, keys, 'web1', 'extended', 0)
    assert.deepEqual(kept.map((sample) => sample.series), [{'proc.count': 120}])
    const left = ((await redis.xrange(keys.samples('web1', 'basic'), '-', '+')) as [string, string[]][]).map(([id]) => (now - Number(id.split('-')[0])) / 60_000)
    assert.deepEqual(left, [60, 30, 1])
    assert.equal(await redis.xlen(keys.alertLog('web1')), 1)
    assert.deepEqual(await redis.zrange(keys.deadletter, 0, -1), ['recent'])
    assert.deepEqual(await redis.zrange(keys.hosts, 0, -1), ['web1'])
    assert.equal(await redis.exists(keys.meta('gone'), keys.samples('gone', 'basic'), keys.schemas('gone'), keys.schemasUsed('gone')), 0)
    assert.deepEqual(Object.keys(await redis.hgetall(keys.silences)), ['active'])
  })
})
