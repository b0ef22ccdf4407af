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

  // Each spike alone gives r ≥ 0.7 at lag 0 (in slots 200–202 of cpu; load.1 has it at 1/20 the size).
  const spikes = [
    {shape: 'a flat 3-point spike', bump: [100, 100, 100], coMovements: 2},
    {shape: 'a peaked 3-point spike', bump: [70, 140, 70], coMovements: 4},
  ]
  for (const {shape, bump, coMovements} of spikes) {
    it(`does not report two noise series that share ${shape}`, () => {
      const [noiseA, noiseB] = [noise(21), noise(22)]
      const a = series('cpu.percent', 360, 10, NOW, (index) => 40 + noiseA() * 10 + (bump[index - 200] ?? 0))
      const b = series('load.1', 360, 10, NOW, (index) => 1 + noiseB() * 0.5 + (bump[index - 200] ?? 0) / 20)
      const [byRAlone, ...rest] = findCorrelations([a, b], 10, {...settings, min_co_movements: 1}).correlations
      assert.deepEqual(rest, [])
      assert.ok((byRAlone?.r ?? 0) >= settings.min_correlation, `r ${byRAlone?.r}`)
      assert.equal(byRAlone?.lag_s, 0)
      // The spike's own changes (up and down) and nothing else.
      assert.equal(byRAlone?.co_movements, coMovements)
      assert.deepEqual(findCorrelations([a, b], 10, settings).correlations, [])
    })
  }

  it('finds a series that follows another 30 s later through noise, with many co-movements', () => {
    const other = noise(7)
    const a = series('cpu.percent', 360, 10, NOW, (index) => cpu[index + 3] as number)
    const b = series('memory.percent', 360, 10, NOW, (index) => (cpu[index] as number) / 2 + 10 + other() * 20)
    const [found, ...rest] = findCorrelations([a, b], 10, settings).correlations
    assert.deepEqual(rest, [])
    assert.equal(found?.lag_s, 30)
    assert.ok((found?.r ?? 0) > 0.8, `r ${found?.r}`)
    assert.ok((found?.co_movements ?? 0) >= 5, `co_movements ${found?.co_movements}`)
  })

  it('pairs only the max_series series that moved most of late and reports the others as skipped', () => {
    const [driver, quietDriver, own] = [noise(31), noise(32), noise(33)]
    const moving = Array.from({length: 360}, () => driver() * 60)
    // The quiet pair follows its own driver (so it would correlate) but has held still for the newest 10 slots.
    const quiet = Array.from({length: 360}, (_v, index) => (index < 350 ? quietDriver() * 60 : 0))
    for (let index = 350; index < 360; index++) quiet[index] = quiet[349] as number
    const input = [
      series('swap.percent', 360, 10, NOW, (index) => (quiet[index] as number) + own() * 20),
      series('cpu.percent', 360, 10, NOW, (index) => (moving[index] as number) + own() * 20),
      series('system.procs_running', 360, 10, NOW, (index) => (quiet[index] as number) / 10),
      series('load.1', 360, 10, NOW, (index) => (moving[index] as number) / 20 + own()),
      series('memory.percent', 360, 10, NOW, (index) => (moving[index] as number) / 2 + own() * 10),
    ]
    const capped = findCorrelations(input, 10, {...settings, max_series: 3})
    const pairs = (result: typeof capped): string[] => result.correlations.map(({a, b}) => `${a} ~ ${b}`).sort()
    assert.deepEqual(pairs(capped), ['cpu.percent ~ load.1', 'cpu.percent ~ memory.percent', 'load.1 ~ memory.percent'])
    const reason = 'correlation: not among the 3 series that moved most of late'
    assert.deepEqual(capped.skipped, [{series: 'swap.percent', reason}, {series: 'system.procs_running', reason}])
    // Uncapped, the quiet pair is found too: the cap is what left it out.
    assert.ok(pairs(findCorrelations(input, 10, {...settings, max_series: 5})).includes('swap.percent ~ system.procs_running'))
  })

  it('reports nothing among 40 independent series, each with a spike of its own', () => {
    const random = noise(41)
    const input = Array.from({length: 40}, (_v, column) => {
      const spikeAt = 10 + Math.floor(random() * 340)
      const height = 15 + random() * 15
      let level = 50
      // Half random walks, half noise around a level; each has one 3-point spike somewhere.
      const next = column % 2 ? () => (level += (random() - 0.5) * 4) : () => 50 + (random() - 0.5) * 4
      return series(`disk.used_percent{mount="/m${column}"}`, 360, 10, NOW, (index) => next() + (index >= spikeAt && index < spikeAt + 3 ? height : 0))
    })
    // Spikes that line up at some lag within max_lag pass on r alone (12 of the 780 pairs): the check is not vacuous.
    assert.ok(findCorrelations(input, 10, {...settings, min_co_movements: 1}).correlations.length > 0)
    assert.deepEqual(findCorrelations(input, 10, settings).correlations, [])
  })
})
