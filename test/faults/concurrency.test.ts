import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {alertStage} from '../../src/alert/alert'
import {check} from '../../src/alert/check'
import {deliverDue} from '../../src/alert/deliver'
import {claimNext, listOutbox} from '../../src/alert/outbox'
import {createLogger} from '../../src/cli/log'
import {resolveConfig} from '../../src/config/resolve'
import {keysFor} from '../../src/store/keys'
import {runCli, writeConfig} from '../helpers/cli'
import {startHttp} from '../helpers/receivers'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

const log = createLogger({level: 'error', format: 'text', write: () => {}})

describe('fault: concurrent runs and crashes', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let http: Awaited<ReturnType<typeof startHttp>>

  before(async () => {
    ({redis, url, prefix, cleanup} = await testRedis())
    http = await startHttp()
  })
  after(async () => {
    await http.close()
    await cleanup()
  })

  for (const count of [2, 5]) {
    it(`${count} concurrent runs with a firing alert send exactly one notification`, async () => {
      const host = `busy${count}`
      // memory.percent of any real host is above 0.1 %: the alert fires on the first check.
      const config = writeConfig(`redis:\n  prefix: ${prefix}\nthresholds:\n  memory: {warning: 0.1, error: 99, critical: 100}\nalerts:\n  throttling: {grouping_window: 0}\n  channels:\n    webhook: {url: "${http.url}/hook-${host}"}\n`)
      const results = await Promise.all(Array.from({length: count}, () => runCli(['run', '--config', config, '--redis-url', url, '--host', host])))
      const codes = results.map((result) => result.code)
      assert.ok(codes.every((code) => code === 0 || code === 5), `exit codes ${codes}`)
      assert.ok(codes.includes(0))
      for (const result of results.filter((entry) => entry.code === 5)) assert.match(result.stderr, /^monitor: another (run|collect|check|alert|analyze) is running for this host/)
      // Whichever process got there, once the runs are over the outbox is empty and one message went out.
      await runCli(['alert', '--config', config, '--redis-url', url, '--host', host])
      assert.equal(http.on(`/hook-${host}`).length, 1)
    })
  }

  it('a crash between "sent" and "recorded" re-sends with the same id, once the lease runs out', async () => {
    const keys = keysFor(prefix)
    const config = resolveConfig({redis: {prefix}, alerts: {throttling: {grouping_window: 0}, channels: {webhook: {url: `${http.url}/crash`}}, delivery: {timeout: 1}}}, {})
    const T0 = Date.now()
    await writeSample(redis, keys, 'crashy', 'basic', T0, {'memory.percent': 90})
    await check({redis, keys, host: 'crashy', config, log, now: () => T0})
    const queued = await alertStage({redis, keys, host: 'crashy', config, log, now: () => T0, dryRun: false})
    assert.equal(http.on('/crash').length, 1)
    const id = queued.delivery.delivered[0]?.id
    // Simulate the crash: put the same notification back and claim it as a process would, then "die".
    const {pending} = await listOutbox(redis, keys)
    assert.deepEqual(pending, [])
    await redis.zadd(keys.outbox, T0, JSON.stringify(queued.delivery.delivered[0]))
    const claimed = await claimNext(redis, keys, T0, T0 + 6000, T0)
    assert.ok(claimed, 'a crashed sender claimed it and never finished')
    const meanwhile = await deliverDue({redis, keys, config, log, now: () => T0 + 1000})
    assert.equal(meanwhile.delivered.length, 0, 'another process does not take it while the lease holds')
    const later = await deliverDue({redis, keys, config, log, now: () => T0 + 7000})
    assert.equal(later.delivered.length, 1)
    const requests = http.on('/crash')
    assert.equal(requests.length, 2)
    assert.deepEqual(requests.map((request) => request.headers['idempotency-key']), [id, id], 'the re-send carries the same id')
  })
})
