import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import network, {parseNetDev} from '../../../src/collect/collectors/network'
import {defaults} from '../../../src/config/defaults'
import {context, FIXTURES, hostA, hostALater} from './fixtures'

describe('network collector', () => {
  it('parses /proc/net/dev and keeps the first line of a repeated interface', () => {
    const parsed = parseNetDev(hostA('proc/net/dev') + '    lo: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n')
    assert.deepEqual([...parsed.keys()], ['lo', 'eth0', 'wg0'])
    assert.equal(parsed.get('lo')?.rxBytes, 5_000_000)
    assert.equal(parsed.get('eth0')?.txPackets, 1_500_000)
  })

  it('reads the fixture tree: lo left out, link speed from sysfs', async () => {
    const root = join(FIXTURES, 'host-a')
    const raw = await network.read({procRoot: join(root, 'proc'), sysRoot: join(root, 'sys'), config: defaults, tiers: ['detailed']})
    assert.deepEqual(raw?.map((iface) => [iface.name, iface.speedMbps, iface.up]), [['eth0', 1000, true], ['wg0', undefined, false]])
  })

  it('computes byte and packet rates and utilization against link speed', async () => {
    const parse = (text: string) => [...parseNetDev(text)].filter(([name]) => name !== 'lo').map(([name, counters]) => ({name, counters, speedMbps: name === 'eth0' ? 1000 : undefined}))
    const first = network.toSeries(parse(hostA('proc/net/dev')), context('basic'))
    assert.equal(first.series['net.rx_bytes_per_sec{iface="eth0"}'], undefined, 'no rate on the first reading')
    assert.equal(first.series['net.rx_bytes{iface="eth0"}'], 1_000_000_000)

    const {series} = network.toSeries(parse(hostALater('proc/net/dev')), context('basic', {previous: first.counters, elapsedS: 10}))
    // eth0 received 125 000 000 bytes and 100 000 packets in 10 s
    assert.equal(series['net.rx_bytes_per_sec{iface="eth0"}'], 12_500_000)
    assert.equal(series['net.tx_bytes_per_sec{iface="eth0"}'], 0)
    assert.equal(series['net.rx_packets_per_sec{iface="eth0"}'], 10_000)
    // 12.5 MB/s of a 1000 Mbit/s link (125 MB/s) = 10 %
    assert.equal(series['net.utilization_percent{iface="eth0"}'], 10)
    assert.equal(series['net.utilization_percent{iface="wg0"}'], undefined, 'unknown link speed: no utilization')
  })
})
