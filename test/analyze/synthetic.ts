import type {SeriesData} from '../../src/analyze/types'
import {noise} from './helpers'

export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000
/** A midnight (UTC), so that times of day in the scenarios read plainly. */
export const T0 = Date.UTC(2027, 0, 4)

/** Standard normal numbers from a seed (Box–Muller over the deterministic generator). */
export function gaussian(seed: number): () => number {
  const uniform = noise(seed)
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform())
}

/** A series with a value every `stepMs` over [fromMs, toMs]; f(t) = NaN leaves a gap. */
export function sampled(name: string, fromMs: number, toMs: number, stepMs: number, f: (atMs: number) => number): SeriesData {
  const count = Math.floor((toMs - fromMs) / stepMs) + 1
  const times = Float64Array.from({length: count}, (_v, index) => fromMs + index * stepMs)
  return {name, times, values: times.map((atMs) => f(atMs))}
}

/** The part of a series within (fromMs, toMs]: what a tier holds at toMs. */
export function between(series: SeriesData, fromMs: number, toMs: number): SeriesData {
  let from = 0
  while (from < series.times.length && (series.times[from] as number) <= fromMs) from++
  let to = from
  while (to < series.times.length && (series.times[to] as number) <= toMs) to++
  return {name: series.name, times: series.times.subarray(from, to), values: series.values.subarray(from, to)}
}

/** A value per time that is the same whenever it is asked again (noise drawn once per time). */
export function memoized(f: (atMs: number) => number): (atMs: number) => number {
  const seen = new Map<number, number>()
  return (atMs) => {
    let value = seen.get(atMs)
    if (value === undefined) seen.set(atMs, (value = f(atMs)))
    return value
  }
}
