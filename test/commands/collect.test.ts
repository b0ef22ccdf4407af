import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {keysFor} from '../../src/store/keys'
import {readLatestSample} from '../../src/store/samples'
import {runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'

const FIXTURES = join(__dirname, '..', 'fixtures')
const procOf = (tree: string) => ({MONITOR_PROC_ROOT: join(FIXTURES, tree, 'proc'), MONITOR_SYS_ROOT: join(FIXTURES, tree, 'sys')})

describe('monitor collect against a real Redis', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let config: string
  const collect = (args: string[], env: Record<string, string> = {}) => runCli(['collect', '--config', config, '--redis-url', url, ...args], env)

  before(async () => {
    ({redis, url, prefix, cleanup} = await testRedis())
    config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
  })
  after(() => cleanup())

  it('has no cpu.percent on the first run and the real average on the second', async () => {
    const first = await collect(['--host', 'two-runs', '--json'])
    assert.equal(first.code, 0, first.stderr)
    assert.equal(JSON.parse(first.stdout).series['cpu.percent'], undefined)
    const second = await collect(['--host', 'two-runs', '--json'])
    assert.equal(second.code, 0, second.stderr)
    const cpu = JSON.parse(second.stdout).series['cpu.percent']
    assert.equal(typeof cpu, 'number')
    assert.ok(cpu >= 0 && cpu <= 100, `cpu.percent ${cpu}`)
  })

  it('computes rates from recorded /proc fixtures and drops them across a reboot', async () => {
    const host = ['--host', 'fixture-host', '--tier', 'detailed', '--json']
    await collect(host, procOf('host-a'))
    const later = JSON.parse((await collect(host, procOf('host-a-later'))).stdout)
    // busy ticks +1000 of +1900 total between the two fixture readings: 52.632 % (three decimals kept)
    assert.equal(later.series['cpu.percent'], 52.632)
    assert.equal(later.series['cpu.percent{cpu="0"}'], 76.923)
    const rebooted = JSON.parse((await collect(host, procOf('host-a-rebooted'))).stdout)
    assert.equal(rebooted.series['cpu.percent'], undefined)
    assert.equal(rebooted.series['net.rx_bytes_per_sec{iface="eth0"}'], undefined)
    assert.equal(rebooted.series['cpu.count'], 4)
  })

  it('writes one stream entry per collection, id = collection time, plus meta and hosts', async () => {
    const lines: {at: string; tier: string}[] = []
    for (let run = 0; run < 3; run++) {
      const result = await collect(['--host', 'streamed', '--tier', 'all', '--json'])
      assert.equal(result.code, 0, result.stderr)
      lines.push(...result.stdout.trim().split('\n').map((line) => JSON.parse(line)))
    }
    for (const tier of ['basic', 'detailed', 'extended']) assert.equal(await redis.xlen(`${prefix}:{streamed}:samples:${tier}`), 3)
    const [id, fields] = ((await redis.xrevrange(`${prefix}:{streamed}:samples:basic`, '+', '-', 'COUNT', 1)) as [string, string[]][])[0]!
    const newest = lines.filter((line) => line.tier === 'basic').at(-1)!
    assert.equal(Number(id.split('-')[0]), Date.parse(newest.at))
    // Packed: the schema id and the values; the names are stored once per host.
    assert.deepEqual(fields.filter((_field, index) => index % 2 === 0), ['s', 'v'])
    const stored = await readLatestSample(redis, keysFor(prefix), 'streamed', 'basic')
    assert.deepEqual(stored?.series, (newest as unknown as {series: Record<string, number>}).series)
    assert.equal(await redis.hget(`${prefix}:{streamed}:meta`, 'last:extended'), String(Date.parse(newest.at)))
    assert.equal(Number(await redis.zscore(`${prefix}:hosts`, 'streamed')), Date.parse(newest.at))
  })

  it('prints one JSON object per tier and line, with host, tier, at, series and doc', async () => {
    const result = await collect(['--host', 'shape', '--tier', 'basic', '--tier', 'extended', '--json'])
    const objects = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
    assert.deepEqual(objects.map((object) => object.tier), ['basic', 'extended'])
    for (const object of objects) {
      assert.deepEqual(Object.keys(object), ['host', 'tier', 'at', 'series', 'doc'])
      assert.equal(object.host, 'shape')
      assert.equal(new Date(object.at).toISOString(), object.at)
      for (const value of Object.values(object.series)) assert.equal(typeof value, 'number')
    }
    assert.ok(objects[1].series['memory.percent'] !== undefined, 'extended carries the basic series')
    assert.ok(Array.isArray(objects[1].doc.top_memory))
  })

  it('trims each stream to its retention when it writes', async () => {
    const key = `${prefix}:{trimmed}:samples:basic`
    const old = Date.now() - 2 * 3600_000
    for (let index = 0; index < 300; index++) await redis.xadd(key, `${old + index}-0`, 'cpu.percent', '1')
    const result = await collect(['--host', 'trimmed'])
    assert.equal(result.code, 0, result.stderr)
    // XTRIM MINID ~ drops whole stream nodes (100 entries each) older than an hour; `prune` trims exactly.
    assert.ok((await redis.xlen(key)) <= 101, `length ${await redis.xlen(key)}`)
    const [newestId] = ((await redis.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][])[0]!
    assert.ok(Number(newestId.split('-')[0]) > old + 3600_000)
  })

  it('prints a readable table without --json', async () => {
    const result = await collect(['--host', 'table'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /table · basic · \d{4}-/)
    assert.match(result.stdout, /memory\.percent\s+│\s+\d+\.\d %/)
  })
})

describe('monitor collect when things are wrong', () => {
  it('says in one line that Redis is unreachable, hides the password, exits 3 within 5 s', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as {port: number}
    await new Promise((resolve) => server.close(resolve))
    const result = await runCli(['check', '--redis-url', `redis://:topsecret@127.0.0.1:${port}/0`])
    assert.equal(result.code, 3)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.match(result.stderr, new RegExp(`^monitor: cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0: .*ECONNREFUSED`))
    assert.ok(!result.stderr.includes('topsecret'))
    assert.ok(result.elapsedMs < 5000, `${result.elapsedMs} ms`)
  })

  it('gives up on a Redis that accepts but never answers within 5 s', async () => {
    const silent: Server = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const {port} = silent.address() as {port: number}
    try {
      const result = await runCli(['check', '--redis-url', `redis://127.0.0.1:${port}/0`])
      assert.equal(result.code, 3, result.stderr)
      assert.match(result.stderr, /Redis/)
      assert.ok(result.elapsedMs < 5500, `${result.elapsedMs} ms`)
    } finally {
      silent.close()
    }
  })

  it('shows the stack trace only with --verbose', async () => {
    const result = await runCli(['check', '--verbose', '--redis-url', 'redis://127.0.0.1:1/0'])
    assert.equal(result.code, 3)
    assert.match(result.stderr, /\n\s+at /)
  })

  it('exits 2 and names the key path of a bad configuration', async () => {
    const config = writeConfig('thresholds:\n  cpu:\n    warnin: 50\n')
    const result = await runCli(['collect', '--config', config])
    assert.equal(result.code, 2)
    assert.equal(result.stderr, `monitor: ${config}: thresholds.cpu.warnin: unknown key\n`)
  })

  it('reads the configuration file from MONITOR_CONFIG', async () => {
    const config = writeConfig('thresholds:\n  cpu:\n    warning: 99\n')
    const result = await runCli(['collect'], {MONITOR_CONFIG: config})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /thresholds\.cpu\.warning: must not be above thresholds\.cpu\.error \(99 > 85\)/)
  })

  it('refuses a host name that would break key names', async () => {
    const result = await runCli(['collect', '--host', 'evil}host'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--host: "evil}host" is not a valid host name/)
  })

  it('exits 2 on an unknown tier', async () => {
    const result = await runCli(['collect', '--tier', 'hourly'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /hourly/)
  })
})
