import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {analyzeHistory} from '../../src/analyze/analyze'
import {spreadFloor} from '../../src/analyze/anomaly'
import {analyzeTrends, dropsOf, fitWindow} from '../../src/analyze/trend'
import {defaults} from '../../src/config/defaults'
import {resolveConfig} from '../../src/config/resolve'
import {thresholdsOf} from '../../src/rules/rules'
import {noise, series} from './helpers'

const NOW = 1_800_000_000_000
const DISK = 'disk.used_percent{mount="/"}'
const levels = (name: string) => thresholdsOf(name, defaults)?.levels ?? []
// A four-hour horizon so that the warning (80), error (90) and critical (95) crossings all fall inside it.
const settings = {...defaults.analysis.trend_analysis, forecast_horizon: 4 * 3600}
const trendsOf = (short: ReturnType<typeof series>[], options = settings) => analyzeTrends({short}, levels, options, NOW, spreadFloor)
// One hour at 10 s (361 points) rising 10 points an hour to 60 now, ± 0.2 of alternating noise.
const rising = series(DISK, 361, 10, NOW, (index) => 50 + (10 * index * 10) / 3600 + (index % 2 ? 0.2 : -0.2))

const f64 = (values: number[]) => Float64Array.from(values)
const close = (actual: number | undefined, expected: number) => assert.ok(Math.abs((actual ?? Number.NaN) - expected) < 1e-9, `${actual} is not ${expected}`)

describe('fitWindow', () => {
  it('fits an exact line', () => {
    const fit = fitWindow(f64([-3, -2, -1, 0]), f64([1, 3, 5, 7]), 0)
    assert.deepEqual([fit?.slope, fit?.r2, fit?.slopeStdError, fit?.spanS], [2, 1, 0, 3])
  })

  it('gives the slope, R² and standard error of a noisy fit, by hand', () => {
    // x −4..0, y 2 4 5 4 5: Sxx 10, Sxy 6 → slope 0.6; residuals −0.8 0.6 1 −0.6 −0.2: SSR 2.4, Syy 6 → R² 0.6.
    // Their lag-1 autocorrelation is negative (−0.36 / 2.4), counted as 0: SE √(2.4/3/10) = √0.08.
    const fit = fitWindow(f64([-4, -3, -2, -1, 0]), f64([2, 4, 5, 4, 5]), 0)
    close(fit?.slope, 0.6)
    close(fit?.r2, 0.6)
    close(fit?.slopeStdError, Math.sqrt(0.08))
  })

  it('widens the standard error when the residuals run in long stretches', () => {
    // A line plus a slow wave: the residuals follow one another, so the slope is far less certain than 40 points suggest.
    const x = Float64Array.from({length: 40}, (_v, index) => index - 39)
    const wavy = fitWindow(x, x.map((value) => value * 0.1 + Math.sin(value / 4)), 0)
    const shuffled = fitWindow(x, x.map((value, index) => value * 0.1 + Math.sin(((index * 17) % 40) / 4)), 0)
    assert.ok((wavy?.slopeStdError ?? 0) > 2 * (shuffled?.slopeStdError ?? 0), `${wavy?.slopeStdError} against ${shuffled?.slopeStdError}`)
  })
})

describe('analyzeTrends', () => {
  it('finds a rise of 10 points an hour and when each threshold will be crossed, from the value now', () => {
    const [trend] = trendsOf([rising]).trends
    assert.ok(Math.abs((trend?.slope_per_hour ?? 0) - 10) < 0.5, `slope ${trend?.slope_per_hour}`)
    // From 60 now: 80 in 2 h, 90 in 3 h, 95 in 3.5 h (± 1 % for the noise)
    const expected = [['warning', 7200], ['error', 10_800], ['critical', 12_600]] as const
    assert.equal(trend?.crossings.length, 3)
    trend?.crossings.forEach((crossing, index) => {
      assert.equal(crossing.severity, expected[index]?.[0])
      assert.ok(Math.abs(crossing.in_s - (expected[index]?.[1] ?? 0)) < 150, `${crossing.severity} in ${crossing.in_s} s`)
      const [soonest, latest] = crossing.in_s_range
      assert.ok(soonest <= crossing.in_s && latest !== null && latest >= crossing.in_s, 'the range holds the estimate')
    })
    // forecast at now + 4 h: 60 + 40 = 100, inside its range
    assert.ok(Math.abs((trend?.forecast ?? 0) - 100) < 2)
    const [low, high] = trend?.forecast_range ?? [0, 0]
    assert.ok(low < 100 && high > 100)
  })

  it('forecasts only what falls within the horizon', () => {
    assert.deepEqual(trendsOf([rising], {...settings, forecast_horizon: 3600}).trends[0]?.crossings, [])
  })

  it('forecasts no crossing from a flat or a falling series', () => {
    const random = noise(7)
    const flat = series(DISK, 361, 10, NOW, () => 60 + random())
    const falling = series('disk.used_percent{mount="/var"}', 361, 10, NOW, (index) => 90 - index / 36)
    const {trends} = trendsOf([flat, falling])
    assert.deepEqual(trends.map((trend) => trend.crossings), [[], []])
    assert.ok((trends[1]?.slope_per_hour ?? 0) < 0)
  })

  it('forecasts no crossing from a rise lost in its noise, and says why', () => {
    const random = noise(3)
    const scattered = series(DISK, 361, 10, NOW, (index) => 50 + index / 360 + random() * 40)
    const {trends, skipped} = trendsOf([scattered])
    assert.deepEqual(trends[0]?.crossings, [])
    assert.match(skipped[0]?.reason ?? '', /^forecast: rise not significant \(\d+\.\d standard errors, needs 3\)$/)
  })

  it('restarts the trend after a drop: right after a rotation nothing is forecast', () => {
    // Rising fast to 85, then a rotation frees space: 69 % now, flat since.
    const rotated = series(DISK, 361, 10, NOW, (index) => (index < 355 ? 50 + index / 10 : 69))
    assert.equal(dropsOf(rotated.values, spreadFloor(DISK, 69)).at(-1)?.after, 355)
    const {trends, skipped} = trendsOf([rotated])
    assert.deepEqual(trends, [])
    assert.match(skipped[0]?.reason ?? '', /^trend: fewer than 10 points since a drop at /)
  })

  it('catches a runaway of the last minutes with the newest part of the window', () => {
    // Flat at 50 for 50 minutes, then 1 point a minute: 60 now, 80 in 20 minutes.
    const runaway = series(DISK, 361, 10, NOW, (index) => (index < 300 ? 50 : 50 + (index - 300) / 6) + (index % 2 ? 0.05 : -0.05))
    const [trend] = trendsOf([runaway], {...settings, forecast_horizon: 3600}).trends
    assert.ok(Math.abs((trend?.slope_per_hour ?? 0) - 60) < 6, `slope ${trend?.slope_per_hour}`)
    assert.ok((trend?.window_s ?? 0) <= 600, `fitted over the newest ${trend?.window_s} s`)
    assert.ok(Math.abs((trend?.crossings[0]?.in_s ?? 0) - 1200) < 120, `warning in ${trend?.crossings[0]?.in_s} s`)
  })

  it('forecasts no further than six times what it fitted, and nothing from a series that stopped reporting', () => {
    // A drop 3 minutes ago, then a steady climb: 3 minutes of data forecast at most 18 minutes ahead.
    const young = series(DISK, 361, 10, NOW, (index) => (index < 343 ? 80 : 50 + (index - 343) * 0.2))
    const [trend] = trendsOf([young], {...settings, forecast_horizon: 3600}).trends
    assert.ok((trend?.window_s ?? 0) <= 180)
    assert.ok((trend?.crossings ?? []).every((crossing) => crossing.in_s <= 6 * (trend?.window_s ?? 0)), JSON.stringify(trend?.crossings))
    const stopped = series(DISK, 361, 10, NOW - 3 * 3_600_000, (index) => 50 + index / 36)
    const {trends, skipped} = trendsOf([stopped])
    assert.deepEqual(trends, [])
    assert.match(skipped[0]?.reason ?? '', /^trend: no sample since /)
  })

  it('skips a series with too few points', () => {
    const {trends, skipped} = trendsOf([series(DISK, 5, 10, NOW, (index) => 60 + index)])
    assert.deepEqual(trends, [])
    assert.deepEqual(skipped, [{series: DISK, reason: 'trend: fewer than 10 points'}])
  })

  it('gives trends without crossings for series that have no thresholds', () => {
    const {trends} = trendsOf([{...rising, name: 'load.1'}])
    assert.ok(Math.abs((trends[0]?.slope_per_hour ?? 0) - 10) < 0.5)
    assert.deepEqual(trends[0]?.crossings, [])
  })

  it('forecasts against the levels check uses, per-series overrides included', () => {
    const backup = 'disk.used_percent{mount="/backup"}'
    const config = resolveConfig({thresholds: {overrides: {[backup]: {warning: 95, error: 97, critical: 99}}}, analysis: {trend_analysis: {forecast_horizon: '4h'}}}, {})
    const {trends} = analyzeHistory('h', config, NOW, {training: [], window: [rising, {...rising, name: backup}]})
    const byName = new Map(trends.map((trend) => [trend.series, trend.crossings.map((crossing) => crossing.threshold)]))
    assert.deepEqual(byName.get(DISK), [80, 90, 95])
    assert.deepEqual(byName.get(backup), [95, 97, 99])
  })
})
