import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {detectAnomalies} from '../../src/analyze/anomaly'
import {defaults} from '../../src/config/defaults'
import {series} from './helpers'

const settings = defaults.analysis.anomaly_detection
const NOW = 1_800_000_000_000
// 200 training points alternating 19 and 21: mean 20, sample std √(200·1/199) = 1.00251…
const spread = Math.sqrt(200 / 199)
const history = (last: number) => series('cpu.percent', 201, 60, NOW, (index) => (index === 200 ? last : index % 2 ? 21 : 19))

describe('detectAnomalies', () => {
  it('flags a spike far outside the training spread, with its z-score', () => {
    const {anomalies} = detectAnomalies([history(30)], settings)
    assert.equal(anomalies.length, 1)
    const [anomaly] = anomalies
    assert.equal(anomaly?.series, 'cpu.percent')
    assert.equal(anomaly?.mean, 20)
    assert.ok(Math.abs((anomaly?.std ?? 0) - spread) < 1e-12)
    // z = (30 − 20) / 1.00251 = 9.975
    assert.ok(Math.abs((anomaly?.z ?? 0) - 10 / spread) < 1e-9)
  })

  it('does not flag ordinary noise', () => {
    // z = (21 − 20) / 1.00251 = 0.997 < sensitivity 2
    assert.deepEqual(detectAnomalies([history(21)], settings).anomalies, [])
  })

  it('uses the median and 1.4826 × MAD with method mad', () => {
    // median 20; |x − 20| = 1 everywhere: MAD 1, spread 1.4826; z = 10 / 1.4826 = 6.745
    const {anomalies} = detectAnomalies([history(30)], {...settings, method: 'mad'})
    assert.equal(anomalies[0]?.mean, 20)
    assert.ok(Math.abs((anomalies[0]?.z ?? 0) - 10 / 1.4826) < 1e-9)
    assert.equal(anomalies[0]?.method, 'mad')
  })

  it('skips a constant series instead of dividing by zero', () => {
    const constant = series('cpu.count', 201, 60, NOW, (index) => (index === 200 ? 8 : 4))
    const {anomalies, skipped} = detectAnomalies([constant], settings)
    assert.deepEqual(anomalies, [])
    assert.deepEqual(skipped, [{series: 'cpu.count', reason: 'anomaly: no variation in the training period'}])
  })

  it('skips a series with too few points', () => {
    const {anomalies, skipped} = detectAnomalies([series('load.1', 50, 60, NOW, (index) => (index === 49 ? 99 : index % 3))], settings)
    assert.deepEqual(anomalies, [])
    assert.deepEqual(skipped, [{series: 'load.1', reason: 'anomaly: 49 points, needs 100'}])
  })

  it('ignores missing points and judges the newest present value', () => {
    const gappy = history(30)
    gappy.values[50] = Number.NaN
    const withTrailingGap = {...gappy, times: Float64Array.from([...gappy.times, NOW + 60_000]), values: Float64Array.from([...gappy.values, Number.NaN])}
    const {anomalies} = detectAnomalies([withTrailingGap], settings)
    assert.equal(anomalies[0]?.value, 30)
  })
})
