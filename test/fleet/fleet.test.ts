import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {alertStage} from '../../src/alert/alert'
import {check} from '../../src/alert/check'
import {silentObservations} from '../../src/alert/fleet'
import {createLogger} from '../../src/cli/log'
import {defaults} from '../../src/config/defaults'
import {resolveConfig} from '../../src/config/resolve'
import {healthOf, listHosts} from '../../src/fleet/hosts'
import {buildReport} from '../../src/report/build'
import {keysFor} from '../../src/store/keys'
import {startHttp} from '../helpers/receivers'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

const log = createLogger({level: 'error', format: 'text', write: () => {}})
const T0 = 1_800_000_000_000

describe('fleet rules', () => {
  it('a host is silent after rules.host_silent.after seconds', () => {
    const observations = silentObservations(new Map([['a', T0 - 60_000], ['b', T0 - 301_000]]), defaults, T0)
    assert.deepEqual(observations.map((observation) => [observation.key, observation.severity, observation.value]), [['a/host_silent/a', null, 60], ['b/host_silent/b', 'error', 301]])
  })
  it('up within three basic intervals, stale after, silent past the limit', () => {
    assert.deepEqual([healthOf(T0 - 29_000, defaults, T0), healthOf(T0 - 31_000, defaults, T0), healthOf(T0 - 301_000, defaults, T0), healthOf(null, defaults, T0)], ['up', 'stale', 'silent', 'silent'])
  })
})

describe('a silent host is noticed by the others, once', () => {
  let redis: Redis
  let prefix: string
  let cleanup: () => Promise<void>
  let http: Awaited<ReturnType<typeof startHttp>>

  before(async () => {
    ({redis, prefix, cleanup} = await testRedis())
    http = await startHttp()
  })
  after(async () => {
    await http.close()
    await cleanup()
  })

  it('fires host_silent once whichever host checks, sends one message, and resolves when the host is back', async () => {
    const keys = keysFor(prefix)
    const config = resolveConfig({redis: {prefix}, alerts: {throttling: {grouping_window: 0}, channels: {webhook: {url: `${http.url}/fleet`}}}}, {})
    const report = async (host: string, at: number) => {
      await writeSample(redis, keys, host, 'basic', at, {'cpu.percent': 5, 'memory.percent': 20})
      await redis.zadd(keys.hosts, at, host)
    }
    await report('alpha', T0)
    await report('beta', T0)
    await report('gamma', T0 - 10 * 60_000)
    const fromAlpha = await check({redis, keys, host: 'alpha', config, log, now: () => T0})
    assert.deepEqual(fromAlpha.events.map((event) => [event.key, event.kind, event.host]), [['gamma/host_silent/gamma', 'firing', 'gamma']])
    const fromBeta = await check({redis, keys, host: 'beta', config, log, now: () => T0 + 1000})
    assert.deepEqual(fromBeta.events, [], 'already firing: beta adds nothing')

    await alertStage({redis, keys, host: 'alpha', config, log, now: () => T0 + 2000})
    await alertStage({redis, keys, host: 'beta', config, log, now: () => T0 + 3000})
    const messages = http.on('/fleet')
    assert.equal(messages.length, 1)
    const payload = JSON.parse(messages[0]?.body ?? '{}')
    assert.equal(payload.host, 'gamma')
    assert.match(payload.alerts[0].message, /^gamma has not reported for 10 min/)

    const hosts = await listHosts({redis, keys, config, now: T0 + 3000})
    assert.deepEqual(hosts.map((host) => [host.host, host.status, host.alerts.firing]), [['gamma', 'silent', 1], ['alpha', 'up', 0], ['beta', 'up', 0]])
    // The alert log's ids are the server's time, not this test's clock: the report reads the last hour of now.
    const gammaReport = await buildReport({redis, keys, config, log, hosts: ['gamma'], sinceS: 3600, now: Date.now()})
    assert.deepEqual(gammaReport.hosts[0]?.alertsFired.map((event) => [event.key, event.kind]), [['gamma/host_silent/gamma', 'firing']], "the report lists the fleet's transitions about the host")

    await report('gamma', T0 + 60_000)
    const back = await check({redis, keys, host: 'beta', config, log, now: () => T0 + 61_000})
    assert.deepEqual(back.events.map((event) => [event.key, event.kind]), [['gamma/host_silent/gamma', 'resolved']])
    await alertStage({redis, keys, host: 'beta', config, log, now: () => T0 + 62_000})
    assert.equal(JSON.parse(http.on('/fleet')[1]?.body ?? '{}').status, 'resolved')
  })
})
