import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {baselineOf, dailyProfile, detectAnomalies, spreadFloor} from '../../src/analyze/anomaly'
import {defaults} from '../../src/config/defaults'
import {series} from './helpers'
import {DAY, MINUTE, sampled, T0} from './synthetic'

const settings = defaults.analysis.anomaly_detection
const NOW = 1_800_000_000_000
const fresh = 3 * MINUTE
/** 200 values alternating 19 and 21 (mean 20), then the newest five as given. */
const history = (newest: number[], name = 'cpu.percent') => series(name, 200 + newest.length, 60, NOW, (index) => (index >= 200 ? (newest[index - 200] as number) : index % 2 ? 21 : 19))
const judge = (newest: number[], overrides: Partial<typeof settings> = {}, name?: string) =>
  detectAnomalies({training: [history(newest, name)], freshAfterMs: fresh}, {...settings, ...overrides}, NOW)

describe('detectAnomalies', () => {
  const cases: [string, number[], {found: boolean; settling?: boolean; points?: number}][] = [
    ['one odd value is noise, not a finding (it settles)', [20, 20, 20, 20, 30], {found: false, settling: true}],
    ['two of five beyond: still settling', [30, 20, 20, 30, 20], {found: false, settling: true}],
    ['three of the newest five beyond, on one side: a finding', [20, 30, 20, 30, 30], {found: true, points: 3}],
    ['three beyond but on both sides: not one departure', [30, 10, 20, 30, 10], {found: false, settling: true}],
    ['ordinary noise', [19, 21, 19, 21, 19], {found: false}],
  ]
  for (const [name, newest, expected] of cases) {
    it(name, () => {
      const {anomalies, settling} = judge(newest)
      assert.equal(anomalies.length > 0, expected.found)
      assert.equal(settling.includes('cpu.percent'), expected.settling ?? false)
      if (expected.points) assert.deepEqual([anomalies[0]?.points, anomalies[0]?.of, anomalies[0]?.value], [expected.points, 5, 30])
    })
  }

  it('reports the z-score against the training mean and corrected spread', () => {
    const [anomaly] = judge([20, 30, 20, 30, 30]).anomalies
    // Alternating 19/21: no value beyond 2σ is cut, so the spread is the sample deviation put back for the cut: √(200/199) / √0.7737.
    assert.equal(anomaly?.mean, 20)
    assert.ok(Math.abs((anomaly?.std ?? 0) - Math.sqrt(200 / 199) / Math.sqrt(0.773_741)) < 1e-3, `spread ${anomaly?.std}`)
    assert.equal(anomaly?.baseline, 'period')
  })

  it('keeps past spikes out of the training spread, so that they do not hide a new one', () => {
    const spiky = history([20, 26, 26, 26, 20])
    for (const index of [30, 31, 32, 90, 91, 92]) spiky.values[index] = 90
    const {anomalies} = detectAnomalies({training: [spiky], freshAfterMs: fresh}, settings, NOW)
    assert.equal(anomalies.length, 1, 'found despite the six earlier values of 90')
  })

  it('finds the first departure from a flat history (the spread has a floor)', () => {
    const flat = series('memory.percent', 205, 60, NOW, (index) => (index >= 202 ? 43 : 40))
    for (const method of ['zscore', 'mad'] as const) {
      const {anomalies, skipped} = detectAnomalies({training: [flat], freshAfterMs: fresh}, {...settings, method}, NOW)
      assert.equal(anomalies[0]?.std, 0.5, method)
      assert.deepEqual(skipped, [])
    }
  })

  it('with method mad, judges a series that sits on one value most of the time (MAD 0 falls back to the mean deviation)', () => {
    // 90 % of the values are 10, the rest 12: MAD is 0, the mean absolute deviation 0.18.
    const mostlyOne = series('load.1', 205, 60, NOW, (index) => (index >= 202 ? 14 : index % 10 === 0 ? 12 : 10))
    const {anomalies} = detectAnomalies({training: [mostlyOne], freshAfterMs: fresh}, {...settings, method: 'mad'}, NOW)
    assert.equal(anomalies[0]?.series, 'load.1')
    assert.equal(anomalies[0]?.mean, 10)
  })

  it('judges nothing on a stale newest sample, and no series missing from the newest sample', () => {
    const stale = detectAnomalies({training: [history([20, 30, 30, 30, 30])], freshAfterMs: fresh}, settings, NOW + 10 * MINUTE)
    assert.deepEqual(stale.anomalies, [])
    assert.match(stale.skipped[0]?.reason ?? '', /^anomaly: no sample since /)
    const stopped = history([30, 30, 30, 30, Number.NaN])
    const {anomalies, skipped} = detectAnomalies({training: [stopped], freshAfterMs: fresh}, settings, NOW)
    assert.deepEqual(anomalies, [])
    assert.deepEqual(skipped, [{series: 'cpu.percent', reason: 'anomaly: not in the newest sample'}])
  })

  it('skips a series with too few points before the judged ones', () => {
    const {skipped} = detectAnomalies({training: [series('load.1', 50, 60, NOW, (index) => index % 3)], freshAfterMs: fresh}, settings, NOW)
    assert.deepEqual(skipped, [{series: 'load.1', reason: 'anomaly: 45 points, needs 100'}])
  })

  it('compares with the same time of day once the extended tier holds two days', () => {
    // Every day 0 until noon, 50 after; the training day alternates ±1 around that.
    const pattern = (atMs: number) => (((atMs - T0) % DAY) >= DAY / 2 ? 50 : 0)
    const now = T0 + 3 * DAY + DAY / 2 + 30 * MINUTE
    const daily = sampled('cpu.percent', T0, now, 5 * MINUTE, pattern)
    const training = sampled('cpu.percent', now - DAY, now, MINUTE, (atMs) => pattern(atMs) + ((atMs / MINUTE) % 2 ? 1 : -1))
    const profiled = detectAnomalies({training: [training], daily: [daily], freshAfterMs: fresh}, settings, now)
    assert.deepEqual(profiled.anomalies, [], 'the afternoon level is usual')
    assert.deepEqual(profiled.settling, [])
    const young = detectAnomalies({training: [training], daily: [sampled('cpu.percent', now - DAY, now, 5 * MINUTE, pattern)], freshAfterMs: fresh}, settings, now)
    assert.equal(dailyProfile(sampled('cpu.percent', now - DAY, now, 5 * MINUTE, pattern)), undefined, 'one day is not a pattern')
    assert.equal(young.anomalies[0]?.baseline, undefined, 'against the whole day instead: 50 is not unusual there either')
  })
})

describe('baselineOf', () => {
  it('puts back the spread the cut removed (a normal sample keeps its standard deviation)', () => {
    // The normal quantiles of 2000 evenly spaced probabilities: standard deviation ≈ 1.
    const quantiles = Float64Array.from({length: 2000}, (_v, index) => normalQuantile((index + 0.5) / 2000))
    const {center, spread} = baselineOf(quantiles, settings)
    assert.ok(Math.abs(center) < 1e-9)
    assert.ok(Math.abs(spread - 1) < 0.02, `spread ${spread}`)
  })
})

describe('spreadFloor', () => {
  const cases: [string, number, number][] = [
    ['memory.percent', 40, 0.5],
    ['swap.used_bytes', 0, 1_048_576],
    ['net.rx_bytes_per_sec{interface="eth0"}', 200_000, 2000],
    ['load.1', 0.2, 0.01],
  ]
  for (const [series, center, floor] of cases) it(`${series} at ${center}: ${floor}`, () => assert.equal(spreadFloor(series, center), floor))
})

/** The standard normal quantile (Acklam's rational approximation, ample here). */
function normalQuantile(p: number): number {
  const a = [-39.696_830_286_653_76, 220.946_098_424_520_5, -275.928_510_446_968_7, 138.357_751_867_269, -30.664_798_066_147_16, 2.506_628_277_459_239]
  const b = [-54.476_098_798_224_06, 161.585_836_858_040_9, -155.698_979_859_886_6, 66.801_311_887_719_72, -13.280_681_552_885_72]
  const c = [-0.007_784_894_002_430_293, -0.322_396_458_041_136_4, -2.400_758_277_161_838, -2.549_732_539_343_734, 4.374_664_141_464_968, 2.938_163_982_698_783]
  const d = [0.007_784_695_709_041_462, 0.322_467_129_070_039_8, 2.445_134_137_142_996, 3.754_408_661_907_416]
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  if (p < 0.024_25) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - 0.024_25) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
}
