import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {aggregate, buckets, quantile} from '../../src/query/aggregate'
import {aggregateRows} from '../../src/query/query'
import {matches} from '../../src/query/select'

describe('aggregates', () => {
  const values = [15, 20, 35, 40, 50]
  it('avg, min, max, last, count', () => {
    assert.deepEqual(['avg', 'min', 'max', 'last', 'count'].map((how) => aggregate(values, how as 'avg')), [32, 15, 50, 50, 5])
  })
  it('p95 interpolates between the closest ranks', () => {
    // rank (5 − 1) × 0.95 = 3.8: 40 + 0.8 × (50 − 40) = 48
    assert.equal(aggregate(values, 'p95'), 48)
    // rank 0.5 × 3 = 1.5 between 2 and 3
    assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5)
  })
  it('ignores missing values and gives NaN for none', () => {
    assert.equal(aggregate([Number.NaN, 2, 4], 'avg'), 3)
    assert.ok(Number.isNaN(aggregate([], 'max')))
  })
  it('buckets by step aligned to the epoch', () => {
    assert.deepEqual(buckets([[0, 1], [299_999, 2], [300_000, 3], [650_000, 4]], 300_000), [[0, [1, 2]], [300_000, [3]], [600_000, [4]]])
  })
  it('aggregates rows per step', () => {
    const rows = aggregateRows([{host: 'h', series: 'cpu.percent', points: [[0, 10], [60_000, 30], [300_000, 50]]}], ['avg', 'count'], 300_000)
    assert.deepEqual(rows, [
      {host: 'h', series: 'cpu.percent', from: '1970-01-01T00:00:00.000Z', values: {avg: 20, count: 2}},
      {host: 'h', series: 'cpu.percent', from: '1970-01-01T00:05:00.000Z', values: {avg: 50, count: 1}},
    ])
  })
})

describe('series selectors', () => {
  const cases: [string, string, boolean][] = [
    ['disk.used_percent{mount="/"}', 'disk.used_percent{mount="/"}', true],
    ['disk.used_percent', 'disk.used_percent{mount="/srv"}', true],
    ['disk.used_percent{mount="/"}', 'disk.used_percent{mount="/srv"}', false],
    ['disk.*', 'disk.busy_percent{device="sda"}', true],
    ['disk.*', 'cpu.percent', false],
    ['*{iface="eth0"}', 'net.rx_bytes{iface="eth0"}', true],
    ['cpu.percent', 'cpu.percent{cpu="0"}', true],
    ['cpu.percent', 'cpu.percentage', false],
  ]
  for (const [selector, series, expected] of cases) it(`${selector} ${expected ? 'matches' : 'does not match'} ${series}`, () => assert.equal(matches(selector, series), expected))
})
