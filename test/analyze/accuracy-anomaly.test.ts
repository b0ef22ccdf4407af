/**
 * How often the defaults raise an anomaly alert on histories whose truth is
 * known: synthetic series, analysed every minute as `run` does, the findings
 * turned into alerts by the same rules `check` uses. The goals are the
 * README's ("Analysis you can act on").
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {evaluate} from '../../src/alert/check'
import {detectAnomalies} from '../../src/analyze/anomaly'
import type {AnalysisResult} from '../../src/analyze/types'
import {defaults} from '../../src/config/defaults'
import type {Config} from '../../src/config/schema'
import type {AlertState} from '../../src/rules/state'
import {between, DAY, gaussian, HOUR, memoized, MINUTE, sampled, T0} from './synthetic'

interface Run {
  /** When each anomaly alert began firing, ms. */
  firings: number[]
}

/**
 * A week of history of `f` (detailed every minute, extended every 5 min),
 * then `days` more analysed every minute with the defaults (or `config`).
 */
function alertsOn(name: string, f: (atMs: number) => number, {days = 1, historyDays = 7, config = defaults}: {days?: number; historyDays?: number; config?: Config} = {}): Run {
  const value = memoized(f)
  const start = T0 + historyDays * DAY
  const end = start + days * DAY
  const detailed = sampled(name, T0, end, MINUTE, value)
  const extended = sampled(name, T0, end, 5 * MINUTE, value)
  let states = new Map<string, AlertState>()
  const firings: number[] = []
  for (let now = start; now <= end; now += MINUTE) {
    const training = between(detailed, now - DAY, now)
    const daily = between(extended, now - 7 * DAY, now)
    const {anomalies, settling} = detectAnomalies({training: [training], daily: [daily], freshAfterMs: 3 * MINUTE}, config.analysis.anomaly_detection, now)
    const analysis: AnalysisResult = {host: 'h', at: new Date(now).toISOString(), anomalies, settling, trends: [], correlations: [], skipped: []}
    const next = evaluate('h', {host: 'h', config, samples: {}, analysis}, states, now, 10 * MINUTE)
    states = next.states
    for (const event of next.events) if (event.kind === 'firing') firings.push(event.at)
  }
  return {firings}
}

const noisy = (seed: number, level = 40, sigma = 2) => {
  const next = gaussian(seed)
  return () => level + sigma * next()
}

/** A daily cycle (quiet at night, busy at 14:00) and a backup from 02:00 to 03:00. */
const dailyPattern = (seed: number) => {
  const next = gaussian(seed)
  return (atMs: number) => {
    const hour = ((atMs - T0) % DAY) / HOUR
    const backup = hour >= 2 && hour < 3 ? 45 : 0
    return 30 + 15 * Math.sin(((hour - 8) / 24) * 2 * Math.PI) + backup + 2 * next()
  }
}

describe('anomaly accuracy at the defaults', () => {
  it('raises at most one alert a day per series on pure noise, with a day of history and with a week', () => {
    const seeds = [1, 2, 3, 4]
    const short = seeds.map((seed) => alertsOn('memory.percent', noisy(seed), {historyDays: 1}).firings.length)
    const long = seeds.map((seed) => alertsOn('memory.percent', noisy(seed + 100)).firings.length)
    console.log(`# pure noise: alerts a day per series, one day of history ${short.join(' ')}; a week ${long.join(' ')}`)
    assert.ok(short.reduce((a, b) => a + b) <= seeds.length, `with a day of history: ${short}`)
    assert.ok(long.reduce((a, b) => a + b) <= seeds.length, `with a week of history: ${long}`)
  })

  it('learns a daily pattern with a nightly backup: no alert', () => {
    const counts = [11, 12].map((seed) => alertsOn('cpu.percent', dailyPattern(seed)).firings.length)
    console.log(`# daily pattern with a backup: alerts in a day ${counts.join(' ')}`)
    assert.deepEqual(counts, [0, 0])
  })

  it('finds at least 7 of 8 spikes of 6σ lasting three detailed samples, on a daily pattern and on a flat gauge', () => {
    // Spikes at 03:30 (just after the backup), 06:00, 09:10, 11:45, 16:20, 19:05, 21:40, 23:15 of the analysed day: most away from the daily peak.
    const spikeStarts = [210, 360, 550, 705, 980, 1145, 1300, 1395].map((minutes) => T0 + 7 * DAY + minutes * MINUTE)
    const inSpike = (atMs: number) => spikeStarts.some((startMs) => atMs >= startMs && atMs < startMs + 3 * MINUTE)
    const found = (run: Run) => spikeStarts.filter((startMs) => run.firings.some((at) => at >= startMs && at <= startMs + 5 * MINUTE)).length
    const cpu = dailyPattern(21)
    const cpuRun = alertsOn('cpu.percent', (atMs) => cpu(atMs) + (inSpike(atMs) ? 12 : 0))
    const memory = noisy(22, 40, 1)
    const memoryRun = alertsOn('memory.percent', (atMs) => memory() + (inSpike(atMs) ? 6 : 0))
    console.log(`# spikes of 6σ found: cpu ${found(cpuRun)} of 8, memory ${found(memoryRun)} of 8; alerts ${cpuRun.firings.length} and ${memoryRun.firings.length}`)
    assert.ok(found(cpuRun) >= 7, `cpu: ${found(cpuRun)} of 8`)
    assert.ok(found(memoryRun) >= 7, `memory: ${found(memoryRun)} of 8`)
    assert.ok(cpuRun.firings.length <= 9 && memoryRun.firings.length <= 9, 'one alert a spike, at most one more')
  })

  it('raises one alert for a level shift, not a flapping series of them', () => {
    const shiftAt = T0 + 7 * DAY + 6 * HOUR
    const base = noisy(31)
    const run = alertsOn('memory.percent', (atMs) => base() + (atMs >= shiftAt ? 10 : 0))
    console.log(`# a level shift of 5σ: ${run.firings.length} alert(s)`)
    assert.ok(run.firings.length >= 1 && run.firings.length <= 2, `${run.firings.length} alerts`)
    assert.ok(run.firings.every((at) => at >= shiftAt))
  })

  it('does not judge a series that stopped reporting on its last values', () => {
    const stopAt = T0 + 7 * DAY + 6 * HOUR
    const base = noisy(41)
    // It ends on a spike: judged then, never again.
    const run = alertsOn('memory.percent', (atMs) => (atMs > stopAt ? Number.NaN : base() + (atMs > stopAt - 3 * MINUTE ? 12 : 0)))
    assert.ok(run.firings.every((at) => at <= stopAt), 'no alert after it stopped')
  })
})
