import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {derivedFromEachOther, findCorrelations} from '../../src/analyze/correlation'
import {defaults} from '../../src/config/defaults'
import {noise, series} from './helpers'

const NOW = 1_800_000_000_000
const settings = defaults.analysis.correlation
const random = noise(11)
const cpu = Array.from({length: 363}, () => 20 + random() * 60)

describe('findCorrelations', () => {
  it('finds a series that copies another 30 s later at lag 30 s', () => {
    const a = series('cpu.percent', 360, 10, NOW, (index) => cpu[index + 3] as number)
    // memory follows cpu three 10-second steps later: b[t] = a[t − 3]
    const b = series('memory.percent', 360, 10, NOW, (index) => (cpu[index] as number) / 2 + 10)
    const {correlations} = findCorrelations([a, b], 10, settings)
    assert.equal(correlations.length, 1)
    assert.equal(correlations[0]?.a, 'cpu.percent')
    assert.equal(correlations[0]?.b, 'memory.percent')
    assert.equal(correlations[0]?.lag_s, 30)
    assert.ok((correlations[0]?.r ?? 0) > 0.9)
  })

  it('reports a negative lag when a follows b', () => {
    const a = series('cpu.percent', 360, 10, NOW, (index) => cpu[index] as number)
    const b = series('load.1', 360, 10, NOW, (index) => cpu[index + 2] as number)
    assert.equal(findCorrelations([a, b], 10, settings).correlations[0]?.lag_s, -20)
  })

  it('does not report independent noise', () => {
    const other = noise(99)
    const a = series('cpu.percent', 360, 10, NOW, (index) => cpu[index] as number)
    const b = series('load.1', 360, 10, NOW, () => other())
    assert.deepEqual(findCorrelations([a, b], 10, settings).correlations, [])
  })

  it('skips constant series and counters, and pairs derived from each other', () => {
    const a = series('disk.used_bytes{mount="/"}', 360, 10, NOW, (index) => 1e9 + (cpu[index] as number) * 1e6)
    const b = series('disk.used_percent{mount="/"}', 360, 10, NOW, (index) => (1e9 + (cpu[index] as number) * 1e6) / 2e10 * 100)
    const constant = series('cpu.count', 360, 10, NOW, () => 4)
    const counter = series('net.rx_bytes{iface="eth0"}', 360, 10, NOW, (index) => index * 1000)
    const {correlations, skipped} = findCorrelations([a, b, constant, counter], 10, settings)
    assert.deepEqual(correlations, [])
    assert.deepEqual(skipped, [{series: 'cpu.count', reason: 'correlation: constant'}])
  })

  it('knows which series are derived from each other', () => {
    assert.ok(derivedFromEachOther('disk.used_bytes{mount="/"}', 'disk.used_percent{mount="/"}'))
    assert.ok(!derivedFromEachOther('disk.used_bytes{mount="/"}', 'disk.used_percent{mount="/srv"}'))
    assert.ok(derivedFromEachOther('cpu.percent', 'cpu.time_percent{mode="user"}'))
    assert.ok(!derivedFromEachOther('cpu.percent', 'memory.percent'))
  })

  it('works through gaps in the grid', () => {
    const a = series('cpu.percent', 360, 10, NOW, (index) => (index % 17 === 0 ? Number.NaN : (cpu[index + 3] as number)))
    const b = series('memory.percent', 360, 10, NOW, (index) => (cpu[index] as number))
    assert.equal(findCorrelations([a, b], 10, settings).correlations[0]?.lag_s, 30)
  })
})
