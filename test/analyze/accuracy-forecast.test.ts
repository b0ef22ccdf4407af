/**
 * How the forecasts at the defaults do on disks whose future is known:
 * synthetic fills, runaways, sawtooth disks and wandering ones, analysed
 * every minute as `run` does (the short window from the basic tier, the long
 * one from the detailed tier), the findings turned into alerts by the rules
 * `check` uses. The goals are the README's ("Analysis you can act on").
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {evaluate} from '../../src/alert/check'
import {analyzeHistory} from '../../src/analyze/analyze'
import {defaults} from '../../src/config/defaults'
import {resolveConfig} from '../../src/config/resolve'
import type {Config} from '../../src/config/schema'
import type {AlertState} from '../../src/rules/state'
import {between, gaussian, HOUR, memoized, MINUTE, sampled, T0} from './synthetic'

const DISK = 'disk.used_percent{mount="/"}'
const trendsOnly = (config: Config): Config => ({...config, analysis: {...config.analysis, anomaly_detection: {...config.analysis.anomaly_detection, enabled: false}, correlation: {...config.analysis.correlation, enabled: false}}})

/** Analyses every minute over [fromMs, toMs]; each time a forecast alert begins firing. */
function forecastAlerts(f: (atMs: number) => number, fromMs: number, toMs: number, config: Config = defaults, name = DISK): number[] {
  const value = memoized(f)
  const basic = sampled(name, fromMs - 6 * HOUR, toMs, 10_000, value)
  const detailed = sampled(name, fromMs - 6 * HOUR, toMs, MINUTE, value)
  const analysed = trendsOnly(config)
  let states = new Map<string, AlertState>()
  const firings: number[] = []
  for (let now = fromMs; now <= toMs; now += MINUTE) {
    const analysis = analyzeHistory('h', analysed, now, {training: [], window: [between(basic, now - HOUR, now)], long: [between(detailed, now - 6 * HOUR, now)]})
    const next = evaluate('h', {host: 'h', config, samples: {}, analysis}, states, now, 10 * MINUTE)
    states = next.states
    for (const event of next.events) if (event.kind === 'firing' && event.rule === 'forecast') firings.push(event.at)
  }
  return firings
}

/** Disk-like noise: small, and correlated from one sample to the next (an AR(1) process). */
function diskNoise(seed: number, sigma = 0.2, rho = 0.9): (atMs: number) => number {
  const next = gaussian(seed)
  let state = 0
  let at = Number.NEGATIVE_INFINITY
  return (atMs) => {
    if (atMs !== at) {
      state = rho * state + sigma * Math.sqrt(1 - rho * rho) * next()
      at = atMs
    }
    return state
  }
}

describe('forecast accuracy at the defaults', () => {
  it('alerts at least 30 minutes ahead of a fill in 9 of 10 cases', () => {
    const crossAt = T0 + 12 * HOUR
    const leads = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((perHour, index) => {
      const noiseOf = diskNoise(index + 1)
      // Reaches 80 (warning) at crossAt.
      const fill = (atMs: number) => 80 + (perHour * (atMs - crossAt)) / HOUR + noiseOf(atMs)
      const first = forecastAlerts(fill, crossAt - 3 * HOUR, crossAt)[0]
      return first === undefined ? 0 : (crossAt - first) / MINUTE
    })
    console.log(`# fills of 3 to 12 points an hour: alerted ${leads.map((lead) => lead.toFixed(0)).join(' ')} minutes ahead`)
    assert.ok(leads.filter((lead) => lead >= 30).length >= 9, `leads ${leads}`)
  })

  it('alerts before a runaway fill of the last 5 to 30 minutes crosses, in 4 of 5 cases', () => {
    const results = [5, 10, 15, 20, 30].map((minutes, index) => {
      const startAt = T0 + 8 * HOUR
      const crossAt = startAt + minutes * MINUTE
      const noiseOf = diskNoise(index + 20)
      // Flat at 50, then straight to 80 in `minutes`.
      const runaway = (atMs: number) => 50 + (atMs > startAt ? (30 * (atMs - startAt)) / (minutes * MINUTE) : 0) + noiseOf(atMs)
      const first = forecastAlerts(runaway, startAt - HOUR, crossAt)[0]
      return first !== undefined && first < crossAt ? (crossAt - first) / MINUTE : -1
    })
    console.log(`# runaways crossing after 5, 10, 15, 20, 30 minutes: alerted ${results.map((lead) => (lead < 0 ? 'never' : `${lead.toFixed(0)} min`)).join(', ')} ahead`)
    assert.ok(results.filter((lead) => lead > 0).length >= 4, `${results}`)
  })

  it('raises at most one forecast alert a day on disks that never cross a threshold', () => {
    // A sawtooth: bursts of writes every 10 minutes from 70 to 88.5, then a rotation back to 70; the thresholds of /data are 90, 95, 98.
    const data = 'disk.used_percent{mount="/data"}'
    const config = resolveConfig({thresholds: {overrides: {[data]: {warning: 90, error: 95, critical: 98}}}}, {})
    const burst = gaussian(5)
    const sizes = new Map<number, number>()
    const sawtooth = (atMs: number) => {
      let level = 70
      for (let at = T0 - 7 * HOUR; at <= atMs; at += 10 * MINUTE) {
        if (!sizes.has(at)) sizes.set(at, Math.max(0, 0.6 + 0.4 * burst()))
        level += sizes.get(at) as number
        if (level >= 88.5) level = 70
      }
      return level
    }
    const sawAlerts = forecastAlerts(memoized(sawtooth), T0, T0 + 24 * HOUR, config, data)
    // A disk wandering around 87, below error (90): an AR(1) process with a standard deviation of 1.2 and a memory of about half an hour.
    const wander = diskNoise(9, 1.2, 0.995)
    const wanderAlerts = forecastAlerts((atMs) => 87 + wander(atMs), T0, T0 + 24 * HOUR)
    console.log(`# a day of a sawtooth disk: ${sawAlerts.length} forecast alert(s); of a disk wandering near 87 %: ${wanderAlerts.length}`)
    assert.ok(sawAlerts.length <= 1, `sawtooth: ${sawAlerts.length}`)
    assert.ok(wanderAlerts.length <= 1, `wander: ${wanderAlerts.length}`)
  })

  it('states a 95 % range that holds the value an hour later about 95 % of the time', () => {
    let inside = 0
    let cases = 0
    for (let seed = 1; seed <= 8; seed++) {
      const noiseOf = diskNoise(seed + 40, 0.3, 0.95)
      const perHour = 1 + seed
      const value = memoized((atMs: number) => 40 + (perHour * (atMs - T0)) / HOUR + noiseOf(atMs))
      const basic = sampled(DISK, T0, T0 + 12 * HOUR, 10_000, value)
      const detailed = sampled(DISK, T0, T0 + 12 * HOUR, MINUTE, value)
      for (let now = T0 + 6 * HOUR; now <= T0 + 11 * HOUR; now += 10 * MINUTE) {
        const [trend] = analyzeHistory('h', trendsOnly(defaults), now, {training: [], window: [between(basic, now - HOUR, now)], long: [between(detailed, now - 6 * HOUR, now)]}).trends
        if (!trend) continue
        const [low, high] = trend.forecast_range
        const truth = value(now + HOUR)
        cases++
        if (truth >= low && truth <= high) inside++
      }
    }
    const coverage = (100 * inside) / cases
    console.log(`# the stated 95 % range held the value an hour later in ${coverage.toFixed(0)} % of ${cases} forecasts`)
    assert.ok(Math.abs(coverage - 95) <= 10, `coverage ${coverage} %`)
  })
})
