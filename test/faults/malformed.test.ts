import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import filesystem, {parseMounts, selectMounts} from '../../src/collect/collectors/filesystem'
import processes from '../../src/collect/collectors/processes'
import {defaults} from '../../src/config/defaults'
import {keysFor} from '../../src/store/keys'
import {readLatestSample} from '../../src/store/samples'
import {runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

describe('fault: malformed records in Redis', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let config: string

  before(async () => {
    ({redis, url, prefix, cleanup} = await testRedis())
    config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
    const keys = keysFor(prefix)
    const now = Date.now()
    await redis.zadd(keys.hosts, now, 'broken')
    await writeSample(redis, keys, 'broken', 'basic', now - 10_000, {'memory.percent': 80, 'cpu.percent': 10})
    await redis.xadd(keys.samples('broken', 'basic'), `${now}-0`, 'memory.percent', 'eighty', 'cpu.percent', '12', 'doc', '{not json')
    await redis.set(keys.samples('broken', 'detailed'), 'someone else wrote a string here')
    await redis.set(keys.analysis('broken'), '{"half": ')
    await redis.hset(keys.alerts('broken'), 'broken/cpu/cpu.percent', 'not json')
  })
  after(() => cleanup())

  const run = (args: string[]) => runCli([...args, '--config', config, '--redis-url', url, '--host', 'broken'])

  it('check carries on, one warning per bad record naming its key', async () => {
    const result = await run(['check', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /skipped field memory\.percent of t[0-9a-f]+:\{broken\}:samples:basic entry \d+-0: not a number: "eighty"/)
    assert.match(result.stderr, /skipped field doc of .*samples:basic entry \d+-0: not valid JSON/)
    assert.match(result.stderr, /skipped t[0-9a-f]+:\{broken\}:samples:detailed: it holds another type of data than monitor expects/)
    assert.match(result.stderr, /skipped .*:\{broken\}:analysis: not valid JSON/)
    assert.match(result.stderr, /skipped alert broken\/cpu\/cpu\.percent of .*:alerts: malformed state/)
    assert.ok(Array.isArray(JSON.parse(result.stdout)))
  })

  it('analyze and report carry on too', async () => {
    const analyzed = await run(['analyze', '--json'])
    assert.equal(analyzed.code, 0, analyzed.stderr)
    assert.match(analyzed.stderr, /samples:detailed: it holds another type/)
    const reported = await run(['report', '--format', 'html'])
    assert.equal(reported.code, 0, reported.stderr)
    assert.match(reported.stdout, /<h2>broken /)
    const queried = await run(['query', 'memory.percent', '--since', '1h', '--json'])
    assert.equal(queried.code, 0, queried.stderr)
    assert.deepEqual(JSON.parse(queried.stdout).series[0].points.map((point: {value: number}) => point.value), [80])
  })
})

describe('fault: lost sample schemas', () => {
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let config: string

  before(async () => {
    let redis: Redis
    ;({redis, url, prefix, cleanup} = await testRedis())
    config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
    const keys = keysFor(prefix)
    const now = Date.now()
    await redis.zadd(keys.hosts, now, 'nameless')
    for (let index = 0; index < 30; index++) await writeSample(redis, keys, 'nameless', 'basic', now - (30 - index) * 10_000, {'cpu.percent': index})
    // Someone overwrote the schemas hash with a string: the 30 entries cannot be named.
    await redis.set(keys.schemas('nameless'), 'not a hash')
  })
  after(() => cleanup())

  for (const args of [['analyze', '--json'], ['query', 'cpu.percent', '--since', '1h', '--json'], ['check', '--json'], ['report', '--format', 'json']]) {
    it(`${args[0]} carries on and says so once, not once per entry`, async () => {
      const result = await runCli([...args, '--config', config, '--redis-url', url, '--host', 'nameless'])
      assert.equal(result.code, 0, result.stderr)
      assert.doesNotThrow(() => JSON.parse(result.stdout))
      const lines = result.stderr.trim().split('\n')
      assert.equal(lines.filter((line) => line.includes(':schemas: it holds another type')).length, 1, result.stderr)
      assert.ok(lines.filter((line) => line.includes('unknown schema')).length <= 1, result.stderr)
    })
  }
})

describe('fault: extreme hosts', () => {
  it('10 000 processes: all counted, the top ones kept', async () => {
    const proc = mkdtempSync(join(tmpdir(), 'monitor-proc-'))
    writeFileSync(join(proc, 'meminfo'), 'MemTotal: 16318412 kB\n')
    for (let pid = 1; pid <= 10_000; pid++) {
      mkdirSync(join(proc, String(pid)))
      writeFileSync(join(proc, String(pid), 'stat'), `${pid} (worker ${pid}) S 1 1 1 0 -1 0 0 0 0 0 ${pid} 0 0 0 20 0 1 0 ${pid} 0 ${pid % 500} 0`)
    }
    const raw = (await processes.read({procRoot: proc, sysRoot: '', config: defaults, tiers: ['extended']}))!
    const {series, doc} = processes.toSeries(raw, {tier: 'extended', config: defaults, previous: {}})
    assert.equal(series['proc.count'], 10_000)
    assert.equal((doc?.top_memory as unknown[]).length, 5, 'monitoring.processes.top')
  })

  it('200 mounts, most of them gone: selected and skipped without hanging', async () => {
    const lines = Array.from({length: 200}, (_v, index) => `/dev/sd${index} /mnt/disk\\040${index} ext4 rw 0 0`).join('\n')
    const mounts = selectMounts(parseMounts(lines), defaults.monitoring.filesystems)
    assert.equal(mounts.length, 200)
    assert.equal(mounts[7]?.mount, '/mnt/disk 7')
    const proc = mkdtempSync(join(tmpdir(), 'monitor-proc-'))
    mkdirSync(join(proc, 'self'))
    writeFileSync(join(proc, 'self', 'mounts'), lines)
    const raw = (await filesystem.read({procRoot: proc, sysRoot: '', config: defaults, tiers: ['basic']}))!
    assert.deepEqual(filesystem.toSeries(raw, {tier: 'basic', config: defaults, previous: {}}).series, {}, 'no statfs answer, no series')
  })

  it('an interface name with odd characters round-trips through Redis', async () => {
    const {redis, url, prefix, cleanup} = await testRedis()
    try {
      const root = mkdtempSync(join(tmpdir(), 'monitor-odd-'))
      mkdirSync(join(root, 'proc', 'net'), {recursive: true})
      writeFileSync(join(root, 'proc', 'stat'), 'cpu  1 0 1 10 0 0 0 0 0 0\ncpu0 1 0 1 10 0 0 0 0 0 0\nbtime 1\n')
      writeFileSync(join(root, 'proc', 'net', 'dev'), 'Inter-|\n face |\n  we"ird\\x: 100 1 0 0 0 0 0 0 200 2 0 0 0 0 0 0\n')
      const config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
      const result = await runCli(['collect', '--json', '--config', config, '--redis-url', url, '--host', 'odd'], {MONITOR_PROC_ROOT: join(root, 'proc'), MONITOR_SYS_ROOT: join(root, 'sys')})
      assert.equal(result.code, 0, result.stderr)
      assert.equal(JSON.parse(result.stdout).series['net.rx_bytes{iface="we\\"ird\\\\x"}'], 100)
      const stored = await readLatestSample(redis, keysFor(prefix), 'odd', 'basic')
      assert.equal(stored?.series['net.rx_bytes{iface="we\\"ird\\\\x"}'], 100)
    } finally {
      await cleanup()
    }
  })
})
