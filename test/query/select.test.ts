import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {matches} from '../../src/query/select'
import {runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'
import {keysFor} from '../../src/store/keys'

describe('series selectors', () => {
  const cases: [string, string, boolean][] = [
    ['net.*_bytes_per_sec', 'net.rx_bytes_per_sec{iface="eth0"}', true],
    ['net.*_bytes_per_sec', 'net.rx_packets_per_sec{iface="eth0"}', false],
    ['disk.*', 'disk.used_percent{mount="/"}', true],
    ['*{iface="eth0"}', 'net.rx_bytes_per_sec{iface="eth0"}', true],
    ['*{iface="eth0"}', 'net.rx_bytes_per_sec{iface="wlan0"}', false],
    ['disk.used_percent', 'disk.used_percent{mount="/srv"}', true],
    ['disk.used_percent{mount="/"}', 'disk.used_percent{mount="/srv"}', false],
    ['cpu.percent', 'cpu.percent', true],
  ]
  for (const [selector, series, expected] of cases) it(`${selector} ${expected ? 'matches' : 'does not match'} ${series}`, () => assert.equal(matches(selector, series), expected))
})

describe('monitor query as the help shows it', () => {
  it("finds the help's own example, and tells a typo (exit 2) from no data yet (exit 0)", async () => {
    const {redis, url, prefix, cleanup} = await testRedis()
    try {
      const config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
      await writeSample(redis, keysFor(prefix), 'web1', 'basic', Date.now() - 1000, {'net.rx_bytes_per_sec{iface="eth0"}': 1200, 'cpu.percent': 5})
      await redis.zadd(keysFor(prefix).hosts, Date.now(), 'web1')
      const run = (...args: string[]) => runCli(['query', ...args, '--config', config, '--redis-url', url, '--json'])
      const found = await run('net.*_bytes_per_sec', '--host', 'web1', '--agg', 'last')
      assert.equal(found.code, 0, found.stderr)
      assert.deepEqual(JSON.parse(found.stdout).rows.map((row: {series: string}) => row.series), ['net.rx_bytes_per_sec{iface="eth0"}'])
      const typo = await run('cpu.precent', '--host', 'web1')
      assert.equal(typo.code, 2, typo.stderr)
      assert.match(typo.stderr, /^monitor: SERIES: no series of web1 matches cpu\.precent \(monitor series lists them\)$/m)
      const nobody = await run('cpu.percent', '--host', 'web2')
      assert.equal(nobody.code, 2, nobody.stderr)
      assert.match(nobody.stderr, /^monitor: --host: no host named web2 in Redis \(monitor hosts lists them; a new host appears after its first monitor collect\)$/m)
      for (const command of [['series'], ['report', '--format', 'json']]) {
        const unknown = await runCli([...command, '--host', 'web2', '--config', config, '--redis-url', url])
        assert.equal(unknown.code, 2, `${command[0]}: ${unknown.stderr}`)
      }
      const old = await run('cpu.percent', '--host', 'web1', '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-01T01:00:00Z')
      assert.equal(old.code, 0, 'a known series with no points in the range is "no data", not an error')
    } finally {
      await cleanup()
    }
  })
})
