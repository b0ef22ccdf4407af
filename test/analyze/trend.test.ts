import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {analyzeTrends} from '../../src/analyze/trend'
import {defaults} from '../../src/config/defaults'
import {levelsOf} from '../../src/rules/resources'
import {noise, series} from './helpers'

const NOW = 1_800_000_000_000
const DISK = 'disk.used_percent{mount="/"}'
const levels = (name: string) => levelsOf(name, defaults)
// A four-hour horizon so that the warning (80), error (90) and critical (95) crossings all fall inside it.
const settings = {...defaults.analysis.trend_analysis, forecast_horizon: 4 * 3600}
// One hour at 10 s (361 points) rising 10 points an hour to 60 now, ± 0.2 of alternating noise.
const rising = series(DISK, 361, 10, NOW, (index) => 50 + (10 * index * 10) / 3600 + (index % 2 ? 0.2 : -0.2))

describe('analyzeTrends', () => {
  it('finds a rise of 10 points an hour and when each threshold will be crossed', () => {
    const {trends} = analyzeTrends([rising], levels, settings, NOW)
    const [trend] = trends
    assert.ok(Math.abs((trend?.slope_per_hour ?? 0) - 10) < 0.5, `slope ${trend?.slope_per_hour}`)
    assert.ok((trend?.r2 ?? 0) > 0.99)
    // From 60 now: 80 in 2 h, 90 in 3 h, 95 in 3.5 h (± 1 % for the noise)
    const expected = [['warning', 7200], ['error', 10800], ['critical', 12600]] as const
    assert.equal(trend?.crossings.length, 3)
    trend?.crossings.forEach((crossing, index) => {
      assert.equal(crossing.severity, expected[index]?.[0])
      assert.ok(Math.abs(crossing.in_s - (expected[index]?.[1] ?? 0)) < 72, `${crossing.severity} in ${crossing.in_s} s`)
      const [soonest, latest] = crossing.in_s_range
      assert.ok(soonest <= crossing.in_s && latest !== null && latest >= crossing.in_s, 'the range holds the estimate')
    })
    // forecast at now + 4 h: 60 + 40 = 100
    assert.ok(Math.abs((trend?.forecast ?? 0) - 100) < 2)
  })

  it('forecasts only what falls within the horizon', () => {
    const {trends} = analyzeTrends([rising], levels, {...settings, forecast_horizon: 3600}, NOW)
    assert.deepEqual(trends[0]?.crossings, [])
  })

  it('forecasts no crossing from a flat or a falling series', () => {
    const random = noise(7)
    const flat = series(DISK, 361, 10, NOW, () => 60 + random())
    const falling = series(DISK, 361, 10, NOW, (index) => 90 - index / 36)
    const {trends} = analyzeTrends([flat, falling], levels, settings, NOW)
    assert.deepEqual(trends.map((trend) => trend.crossings), [[], []])
    assert.ok((trends[1]?.slope_per_hour ?? 0) < 0)
  })

  it('forecasts no crossing from a poor fit, and says why', () => {
    const random = noise(3)
    const scattered = series(DISK, 361, 10, NOW, (index) => 50 + index / 36 + random() * 40)
    const {trends, skipped} = analyzeTrends([scattered], levels, settings, NOW)
    assert.deepEqual(trends[0]?.crossings, [])
    assert.match(skipped[0]?.reason ?? '', /^forecast: R² 0\.\d\d below 0\.5$/)
  })

  it('skips a series with too few points', () => {
    const {trends, skipped} = analyzeTrends([series(DISK, 5, 10, NOW, (index) => 60 + index)], levels, settings, NOW)
    assert.deepEqual(trends, [])
    assert.deepEqual(skipped, [{series: DISK, reason: 'trend: 5 points, needs 10'}])
  })

  it('gives trends without crossings for series that have no thresholds', () => {
    const {trends} = analyzeTrends([{...rising, name: 'load.1'}], levels, settings, NOW)
    assert.ok(Math.abs((trends[0]?.slope_per_hour ?? 0) - 10) < 0.5)
    assert.deepEqual(trends[0]?.crossings, [])
  })
})
