/**
 * Statistics over Float64Arrays. Pure, no I/O, no allocation in the hot loops.
 * NaN marks a missing point; every function skips NaN where it says so.
 */

export interface Summary {
  count: number
  mean: number
  /** Sample standard deviation (n − 1). */
  std: number
}

/** Mean and sample standard deviation of the finite values in [from, to). */
export function summarize(values: Float64Array, from = 0, to = values.length): Summary {
  let count = 0
  let mean = 0
  let m2 = 0
  // Welford: stable for large values such as byte counts.
  for (let index = from; index < to; index++) {
    const value = values[index] as number
    if (!Number.isFinite(value)) continue
    count++
    const delta = value - mean
    mean += delta / count
    m2 += delta * (value - mean)
  }
  return {count, mean: count > 0 ? mean : Number.NaN, std: count > 1 ? Math.sqrt(m2 / (count - 1)) : Number.NaN}
}

/** Median of the finite values; NaN when there are none. */
export function median(values: Float64Array): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort()
  if (finite.length === 0) return Number.NaN
  const middle = finite.length >> 1
  return finite.length % 2 ? (finite[middle] as number) : ((finite[middle - 1] as number) + (finite[middle] as number)) / 2
}

/** The usual gap between sorted times (their median), e.g. a series' real spacing in ms; +Infinity with fewer than two. */
export function medianGap(times: Float64Array): number {
  return times.length < 2 ? Number.POSITIVE_INFINITY : median(Float64Array.from({length: times.length - 1}, (_v, index) => (times[index + 1] as number) - (times[index] as number)))
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: Float64Array, center = median(values)): number {
  return median(values.map((value) => Math.abs(value - center)))
}

/**
 * Pearson r between a[i] and b[i + lag] over the indices where both are
 * finite (lag ≥ 0: b is compared with a's past). NaN with fewer than
 * `minPairs` pairs or when either side does not vary.
 */
export function laggedPearson(a: Float64Array, b: Float64Array, lag: number, minPairs = 3): number {
  let count = 0
  let sumA = 0
  let sumB = 0
  let sumAA = 0
  let sumBB = 0
  let sumAB = 0
  const end = Math.min(a.length, b.length - lag)
  for (let index = 0; index < end; index++) {
    const ai = a[index] as number
    const bi = b[index + lag] as number
    // NaN fails both comparisons: one check skips missing points on either side.
    if (!(ai === ai && bi === bi)) continue
    count++
    sumA += ai
    sumB += bi
    sumAA += ai * ai
    sumBB += bi * bi
    sumAB += ai * bi
  }
  return count < minPairs ? Number.NaN : pearsonFromSums(count, sumA, sumB, sumAA, sumBB, sumAB)
}

/** Pearson r from the sums of a, b, a², b² and ab over `count` pairs; NaN when either side does not vary. */
function pearsonFromSums(count: number, sumA: number, sumB: number, sumAA: number, sumBB: number, sumAB: number): number {
  const covariance = sumAB - (sumA * sumB) / count
  const varianceA = sumAA - (sumA * sumA) / count
  const varianceB = sumBB - (sumB * sumB) / count
  if (varianceA <= 1e-12 * Math.max(1, sumAA) || varianceB <= 1e-12 * Math.max(1, sumBB)) return Number.NaN
  return covariance / Math.sqrt(varianceA * varianceB)
}

/** A series without gaps and its running sums: `sums[i]` and `squares[i]` over values[0..i). */
export interface Prefixed {
  values: Float64Array
  sums: Float64Array
  squares: Float64Array
}

/** The running sums of a series, or undefined when it has a gap (NaN). */
export function prefixed(values: Float64Array): Prefixed | undefined {
  const sums = new Float64Array(values.length + 1)
  const squares = new Float64Array(values.length + 1)
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number
    if (value !== value) return undefined
    sums[index + 1] = (sums[index] as number) + value
    squares[index + 1] = (squares[index] as number) + value * value
  }
  return {values, sums, squares}
}

/**
 * laggedPearson for two series without gaps: the sums of each side over the
 * overlap come from the running sums, so each lag costs one pass of
 * multiply-adds instead of five sums with a gap check.
 */
export function laggedPearsonPrefixed(a: Prefixed, b: Prefixed, lag: number, minPairs = 3): number {
  const end = Math.min(a.values.length, b.values.length - lag)
  if (end < minPairs) return Number.NaN
  const left = a.values
  const right = b.values
  let sumAB = 0
  for (let index = 0; index < end; index++) sumAB += (left[index] as number) * (right[index + lag] as number)
  return pearsonFromSums(end, a.sums[end] as number, (b.sums[lag + end] as number) - (b.sums[lag] as number), a.squares[end] as number, (b.squares[lag + end] as number) - (b.squares[lag] as number), sumAB)
}

/**
 * How many indices i have |a[i]| > cutoff and |b[i + lag]| > cutoff with
 * a[i] × b[i + lag] of the sign of `sign` (lag ≥ 0, as in laggedPearson):
 * the slots where both moved well beyond their usual change, the same way
 * (sign > 0) or opposite ways (sign < 0). NaN on either side is not counted.
 */
export function coMovements(a: Float64Array, b: Float64Array, lag: number, cutoff: number, sign: number): number {
  let count = 0
  const end = Math.min(a.length, b.length - lag)
  for (let index = 0; index < end; index++) {
    const ai = a[index] as number
    const bi = b[index + lag] as number
    // NaN fails every comparison, so a gap is never a co-movement.
    if (Math.abs(ai) > cutoff && Math.abs(bi) > cutoff && ai * bi * sign > 0) count++
  }
  return count
}
