import type {SeriesData} from '../../src/analyze/types'

/** A series sampled every `stepS` seconds, ending at `endMs`, value = f(index). */
export function series(name: string, points: number, stepS: number, endMs: number, f: (index: number) => number): SeriesData {
  const times = Float64Array.from({length: points}, (_v, index) => endMs - (points - 1 - index) * stepS * 1000)
  return {name, times, values: Float64Array.from({length: points}, (_v, index) => f(index))}
}

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
export function noise(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}
