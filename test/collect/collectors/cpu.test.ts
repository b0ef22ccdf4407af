import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import cpu, {parseProcStat} from '../../../src/collect/collectors/cpu'
import {context, hostA, hostALater} from './fixtures'

describe('cpu collector', () => {
  const before = parseProcStat(hostA('proc/stat'), [2400, 2600])!
  const after = parseProcStat(hostALater('proc/stat'), [2400, 2600])!

  it('parses the aggregate ticks: busy = total - idle - iowait', () => {
    // 10000+500+3000+80000+1000+0+500+0 = 95000; busy = 95000 - 80000 - 1000 = 14000
    assert.equal(before.all.total, 95000)
    assert.equal(before.all.busy, 14000)
    assert.equal(before.perCpu.size, 4)
    assert.equal(before.bootTimeS, 1795500000)
  })

  it('has no cpu.percent on the first run, and the count and clock', () => {
    const {series} = cpu.toSeries(before, context('basic'))
    assert.equal(series['cpu.percent'], undefined)
    assert.equal(series['cpu.count'], 4)
    assert.equal(series['cpu.freq_mhz'], 2500)
  })

  it('computes cpu.percent from the ticks since the previous reading', () => {
    const {counters} = cpu.toSeries(before, context('detailed'))
    const {series} = cpu.toSeries(after, context('detailed', {previous: counters, elapsedS: 10}))
    // busy 14000 -> 15000 (+1000); total 95000 -> 96900 (+1900): 52.63 %
    assert.equal(series['cpu.percent'], (1000 / 1900) * 100)
    // cpu0: busy 3500 -> 4000 (+500), total 23750 -> 24400 (+650): 76.92 %
    assert.equal(series['cpu.percent{cpu="0"}'], (500 / 650) * 100)
    // user ticks 10000 -> 10600 (+600) of +1900
    assert.equal(series['cpu.time_percent{mode="user"}'], (600 / 1900) * 100)
    // ctxt 9000000 -> 9030000 over 10 s; intr 5000000 -> 5010000; processes 40000 -> 40100
    assert.equal(series['cpu.context_switches_per_sec'], 3000)
    assert.equal(series['cpu.interrupts_per_sec'], 1000)
    assert.equal(series['system.forks_per_sec'], 10)
    assert.equal(series['system.procs_running'], 5)
  })

  it('keeps per-cpu series out of the basic tier', () => {
    const {series} = cpu.toSeries(after, context('basic'))
    assert.deepEqual(Object.keys(series).filter((name) => name.includes('{')), [])
  })

  it('gives no cpu.percent when the counters went down', () => {
    const {counters} = cpu.toSeries(after, context('basic'))
    const rebooted = parseProcStat('cpu  500 0 200 4000 50 0 10 0 0 0\ncpu0 500 0 200 4000 50 0 10 0 0 0\n')!
    const {series} = cpu.toSeries(rebooted, context('basic', {previous: counters, elapsedS: 10}))
    assert.equal(series['cpu.percent'], undefined)
  })
})
