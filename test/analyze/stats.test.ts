import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {laggedPearson, linearFit, median, medianAbsoluteDeviation, summarize} from '../../src/analyze/stats'

const close = (actual: number, expected: number, tolerance = 1e-9) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`)
const f64 = (values: number[]) => Float64Array.from(values)

describe('statistics', () => {
  it('summarize: mean and sample standard deviation, skipping NaN', () => {
    // [2,4,4,4,5,5,7,9]: mean 40/8 = 5; squared deviations sum to 32; sample variance 32/7
    const {count, mean, std} = summarize(f64([2, 4, Number.NaN, 4, 4, 5, 5, 7, 9]))
    assert.equal(count, 8)
    close(mean, 5)
    close(std, Math.sqrt(32 / 7))
  })

  it('median and MAD', () => {
    // sorted 1 1 2 2 4 6 9: median 2; |x − 2| = 1 1 0 0 2 4 7, median 1
    assert.equal(median(f64([9, 1, 2, 6, 1, 4, 2])), 2)
    assert.equal(medianAbsoluteDeviation(f64([9, 1, 2, 6, 1, 4, 2])), 1)
    assert.equal(median(f64([4, 1, 3, 2])), 2.5)
  })

  it('linearFit: an exact line', () => {
    const fit = linearFit(f64([0, 1, 2, 3]), f64([1, 3, 5, 7]))
    assert.deepEqual([fit.slope, fit.intercept, fit.r2, fit.slopeStdError], [2, 1, 1, 0])
  })

  it('linearFit: slope, intercept, R² and the slope standard error of a noisy fit', () => {
    // x 1..5, y 2 4 5 4 5: Sxx 10, Sxy 6 → slope 0.6, intercept 4 − 0.6·3 = 2.2
    // residuals −0.8 0.6 1 −0.6 −0.2: SSR 2.4; Syy 6 → R² 1 − 2.4/6 = 0.6; SE √(2.4/3/10) = √0.08
    const fit = linearFit(f64([1, 2, 3, 4, 5]), f64([2, 4, 5, 4, 5]))
    close(fit.slope, 0.6)
    close(fit.intercept, 2.2)
    close(fit.r2, 0.6)
    close(fit.slopeStdError, Math.sqrt(0.08))
  })

  it('laggedPearson: a copy one step later correlates perfectly at lag 1', () => {
    const a = f64([1, 5, 2, 8, 3, 9, 4, 7])
    const b = f64([0, 1, 5, 2, 8, 3, 9, 4])
    close(laggedPearson(a, b, 1), 1)
    assert.ok(laggedPearson(a, b, 0) < 0.5)
  })

  it('laggedPearson: NaN for a constant side or too few pairs', () => {
    assert.ok(Number.isNaN(laggedPearson(f64([1, 1, 1, 1]), f64([1, 2, 3, 4]), 0)))
    assert.ok(Number.isNaN(laggedPearson(f64([1, 2]), f64([1, 2]), 0)))
  })
})
