import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import memory, {parseMeminfo} from '../../../src/collect/collectors/memory'
import {context, hostA} from './fixtures'

describe('memory collector', () => {
  const meminfo = parseMeminfo(hostA('proc/meminfo'))

  it('reads kB fields as bytes', () => {
    assert.equal(meminfo.MemTotal, 16318412 * 1024)
    assert.equal(meminfo.HugePages_Total, 0)
  })

  it('gives total, available and percent used as (total - available) / total', () => {
    const {series} = memory.toSeries(meminfo, context('basic'))
    assert.equal(series['memory.total_bytes'], 16318412 * 1024)
    assert.equal(series['memory.available_bytes'], 12012340 * 1024)
    // (16318412 - 12012340) / 16318412 = 4306072 / 16318412 = 26.388 %
    assert.ok(Math.abs((series['memory.percent'] as number) - 26.3878) < 0.001)
    assert.equal(series['swap.percent'], undefined, 'swap is a detailed series')
  })

  it('adds swap and memory detail in the detailed tier', () => {
    const {series} = memory.toSeries(meminfo, context('detailed'))
    // swap used = 2097148 - 1048574 = 1048574 kB: exactly half
    assert.equal(series['swap.percent'], 50)
    assert.equal(series['swap.used_bytes'], 1048574 * 1024)
    assert.equal(series['memory.cached_bytes'], 9876540 * 1024)
  })

  it('falls back to free + buffers + cached on kernels without MemAvailable', () => {
    const {series} = memory.toSeries(parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n'), context('basic'))
    assert.equal(series['memory.percent'], 60)
  })
})
