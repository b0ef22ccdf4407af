import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {laggedPearson, laggedPearsonPrefixed, median, medianAbsoluteDeviation, prefixed, summarize} from '../../src/analyze/stats'

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

  it('laggedPearsonPrefixed: by hand at lag 1, and the same r as laggedPearson at every lag', () => {
    // a = [1,2,3,4], b = [0,1,2,4,8]; lag 1 pairs a[i] with b[i+1]: (1,1) (2,2) (3,4) (4,8).
    // sums: a 10, b 15, a² 30, b² 85, ab 1+4+12+32 = 49; cov 49 − 10·15/4 = 11.5;
    // var a 30 − 25 = 5, var b 85 − 56.25 = 28.75; r = 11.5 / √(5 · 28.75) = 0.95916…
    const a = prefixed(f64([1, 2, 3, 4]))
    const b = prefixed(f64([0, 1, 2, 4, 8]))
    assert.ok(a && b)
    close(laggedPearsonPrefixed(a, b, 1, 3), 11.5 / Math.sqrt(5 * 28.75))
    let seed = 3
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5
    const x = Float64Array.from({length: 200}, random)
    const y = Float64Array.from({length: 200}, random)
    for (const lag of [0, 1, 7, 30, 195]) close(laggedPearsonPrefixed(prefixed(x)!, prefixed(y)!, lag, 3), laggedPearson(x, y, lag, 3), 1e-9)
    assert.ok(Number.isNaN(laggedPearsonPrefixed(prefixed(x)!, prefixed(y)!, 199, 3)), 'one pair is too few')
    assert.equal(prefixed(f64([1, Number.NaN, 3])), undefined, 'a series with a gap takes the other path')
  })
})
