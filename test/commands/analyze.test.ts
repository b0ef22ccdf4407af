import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {toJsonOutput} from '../../src/cli/json'
import {runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'
import {seedTier} from '../helpers/seed'
import {noise} from '../analyze/helpers'

describe('monitor analyze against a real Redis', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let config: string
  const now = Date.now()

  before(async () => {
    ({redis, url, prefix, cleanup} = await testRedis())
    config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
    const random = noise(5)
    const cpu = Array.from({length: 363}, () => 20 + random() * 50)
    // basic: one hour at 10 s. Disk rises 30 points an hour to 70 now; memory follows cpu 30 s later.
    await seedTier(redis, prefix, 'db1', 'basic', 360, 10, now, (index) => ({
      'disk.used_percent{mount="/"}': 70 - ((359 - index) * 10 * 30) / 3600,
      'cpu.percent': cpu[index + 3] as number,
      'memory.percent': (cpu[index] as number) / 2 + 20,
      'cpu.count': 4,
    }))
    // detailed: a day at 60 s of cpu alternating 19 and 21, then 90 for the newest three minutes.
    await seedTier(redis, prefix, 'db1', 'detailed', 1440, 60, now, (index) => ({'cpu.percent': index >= 1437 ? 90 : index % 2 ? 21 : 19}))
    await redis.xadd(`${prefix}:{db1}:samples:detailed`, `${now}-1`, 'cpu.percent', 'garbage')
  })
  after(() => cleanup())

  it('finds the anomaly, the disk forecast and the lagged correlation, and stores them', async () => {
    const result = await runCli(['analyze', '--json', '--config', config, '--redis-url', url, '--host', 'db1'])
    assert.equal(result.code, 0, result.stderr)
    const analysis = JSON.parse(result.stdout)
    assert.deepEqual(Object.keys(analysis), ['host', 'at', 'anomalies', 'settling', 'trends', 'correlations', 'skipped'])

    const [anomaly] = analysis.anomalies
    assert.equal(anomaly.series, 'cpu.percent')
    assert.equal(anomaly.value, 90)
    assert.ok(anomaly.z > 50, `z ${anomaly.z}`)
    assert.deepEqual([anomaly.points, anomaly.of, anomaly.baseline], [3, 5, 'period'])

    const disk = analysis.trends.find((trend: {series: string}) => trend.series === 'disk.used_percent{mount="/"}')
    assert.ok(Math.abs(disk.slope_per_hour - 30) < 0.5)
    // from 70 at 30 points an hour: 80 in 20 min, 90 in 40 min, 95 in 50 min
    assert.deepEqual(disk.crossings.map((crossing: {severity: string; in_s: number}) => [crossing.severity, Math.round(crossing.in_s / 60)]), [['warning', 20], ['error', 40], ['critical', 50]])

    assert.deepEqual(analysis.correlations.map((c: {a: string; b: string; lag_s: number}) => [c.a, c.b, c.lag_s]), [['cpu.percent', 'memory.percent', 30]])
    assert.ok(analysis.skipped.some((s: {series: string; reason: string}) => s.series === 'cpu.count' && s.reason === 'correlation: constant'))
    assert.match(result.stderr, /skipped field cpu\.percent of .*samples:detailed entry \d+-1: not a number/)

    assert.deepEqual(toJsonOutput(JSON.parse((await redis.get(`${prefix}:{db1}:analysis`)) as string)), analysis, 'the stored analysis, in the --json convention')
    assert.equal(await redis.xlen(`${prefix}:{db1}:analysis:history`), 1)
  })

  it('prints a readable summary', async () => {
    const result = await runCli(['analyze', '--config', config, '--redis-url', url, '--host', 'db1'])
    assert.equal(result.code, 0, result.stderr)
    // 50 min from the newest sample; the analysis runs a moment later, and the values are stored to
    // three decimals, so the estimate and its range may be a few seconds short of it.
    assert.match(result.stdout, /disk\.used_percent\{mount="\/"\} will cross critical \(95\) in (50 min|49 min 5\d s) \((between \d+ min( \d+ s)? and \d+ min( \d+ s)?; )?rising 30\.0\/h over the last (1 h|\d+ min)\)/)
    assert.match(result.stdout, /cpu\.percent is \d+\.\dσ above its day's mean \(90\.0 against 20\.0 ± 1\.14; 3 of the last 5 values\)/)
    assert.match(result.stdout, /memory\.percent follows cpu\.percent 30 s later, r = 1\.00/)
  })

  it('says there is nothing to analyze for a host without samples', async () => {
    const result = await runCli(['analyze', '--json', '--config', config, '--redis-url', url, '--host', 'empty'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /no samples of empty yet/)
    assert.deepEqual(JSON.parse(result.stdout).anomalies, [])
  })
})
