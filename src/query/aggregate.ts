/** Aggregations over the finite values of a series. Pure. */
export const AGGREGATIONS = ['avg', 'min', 'max', 'p95', 'last', 'count'] as const
export type Aggregation = (typeof AGGREGATIONS)[number]

/**
 * The q-quantile (0..1) by linear interpolation between the closest ranks
 * (numpy's default, Hyndman & Fan type 7). NaN for no values.
 */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const rank = (sorted.length - 1) * q
  const lower = Math.floor(rank)
  const upper = Math.min(lower + 1, sorted.length - 1)
  return (sorted[lower] as number) + (rank - lower) * ((sorted[upper] as number) - (sorted[lower] as number))
}

export function aggregate(values: readonly number[], how: Aggregation): number {
  const finite = values.filter((value) => Number.isFinite(value))
  switch (how) {
    case 'count':
      return finite.length
    case 'last':
      return finite.at(-1) ?? Number.NaN
    case 'min':
      return finite.length > 0 ? Math.min(...finite) : Number.NaN
    case 'max':
      return finite.length > 0 ? Math.max(...finite) : Number.NaN
    case 'avg':
      return finite.length > 0 ? finite.reduce((sum, value) => sum + value, 0) / finite.length : Number.NaN
    case 'p95':
      return quantile(finite, 0.95)
  }
}

/** min, avg, p95 and max of the finite values in one pass and one sort; nulls when there are none. Pure. */
export function summary(values: readonly number[]): {min: number | null; avg: number | null; p95: number | null; max: number | null; count: number} {
  const sorted = Float64Array.from(values.filter((value) => Number.isFinite(value))).sort()
  const count = sorted.length
  if (count === 0) return {min: null, avg: null, p95: null, max: null, count}
  let sum = 0
  for (const value of sorted) sum += value
  const rank = (count - 1) * 0.95
  const lower = Math.floor(rank)
  const upper = Math.min(lower + 1, count - 1)
  const p95 = (sorted[lower] as number) + (rank - lower) * ((sorted[upper] as number) - (sorted[lower] as number))
  return {min: sorted[0] as number, avg: sum / count, p95, max: sorted[count - 1] as number, count}
}

/** Splits points into buckets of `stepMs` aligned to the epoch; returns [bucket start, values] in time order. */
export function buckets(points: readonly [number, number][], stepMs: number): [number, number[]][] {
  const grouped = new Map<number, number[]>()
  for (const [time, value] of points) {
    const start = Math.floor(time / stepMs) * stepMs
    const bucket = grouped.get(start) ?? []
    bucket.push(value)
    grouped.set(start, bucket)
  }
  return [...grouped.entries()].sort((a, b) => a[0] - b[0])
}
