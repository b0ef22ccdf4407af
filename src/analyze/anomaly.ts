import type {Config} from '../config/schema'
import {median, medianAbsoluteDeviation, medianGap, summarize} from './stats'
import type {Anomaly, SeriesData, Skipped} from './types'

/** 1.4826 × MAD estimates the standard deviation of normal data. */
const MAD_TO_STD = 1.4826
/** √(π/2) × the mean absolute deviation estimates it too: MAD's fallback when most values are one value. */
const MEAN_AD_TO_STD = Math.sqrt(Math.PI / 2)
const DAY_MS = 86_400_000
/** The daily pattern needs this many days of the extended tier. */
const DAILY_MIN_DAYS = 2
/** The same time of day is this many extended slots either side (± 10 min at 5 min). */
const DAILY_NEIGHBOURS = 2

type Settings = Config['analysis']['anomaly_detection']

export interface AnomalyInput {
  /** The training period (the detailed tier by default), one array per series on the samples' times. */
  training: readonly SeriesData[]
  /** A week of the extended tier, for the same time of day on earlier days; empty = no daily pattern. */
  daily?: readonly SeriesData[]
  /** Their daily profiles, when already made (kept between runs): then `daily` is not read. */
  profiles?: ReadonlyMap<string, Float64Array>
  /** Anomalies are judged only when the newest sample is this recent: a host that stopped is not judged on its last values. */
  freshAfterMs: number
}

/** The smallest spread a series is judged with, so that a departure from a flat history is found, not divided by zero. */
export function spreadFloor(series: string, center: number): number {
  const metric = series.split('{')[0] ?? series
  const unit = metric.endsWith('percent') ? 0.5 : metric.endsWith('_bytes') ? 1_048_576 : metric.endsWith('_per_sec') ? 1 : 0.01
  return Math.max(unit, Math.abs(center) * 0.01)
}

/** The slot of the day a time falls in, for a profile of `slots` slots (UTC). */
const slotOf = (atMs: number, slots: number): number => Math.floor((((atMs % DAY_MS) + DAY_MS) % DAY_MS) / (DAY_MS / slots)) % slots

/** A daily profile's value at a time of day; `slotOffset` asks for the slot before or after. */
export const profileAt = (profile: Float64Array, atMs: number, slotOffset = 0): number =>
  profile[(((slotOf(atMs, profile.length) + slotOffset) % profile.length) + profile.length) % profile.length] as number

/**
 * The usual value of a series at each time of day, from the extended tier:
 * one value per slot of the tier's interval, the median of the values within
 * ± DAILY_NEIGHBOURS slots on every day kept (NaN where too few). Undefined
 * until the tier holds DAILY_MIN_DAYS days of the series. It changes only
 * when the tier does, so `analyze` keeps it in Redis between runs. Pure.
 */
export function dailyProfile({times, values}: SeriesData): Float64Array | undefined {
  let first = -1
  let last = -1
  for (let index = 0; index < values.length; index++) {
    if (!Number.isFinite(values[index])) continue
    if (first < 0) first = index
    last = index
  }
  if (first < 0 || (times[last] as number) - (times[first] as number) < DAILY_MIN_DAYS * DAY_MS - 3_600_000) return undefined
  // The usual gap, from the first gaps: a tier's samples are evenly spaced but for outages.
  const slots = Math.max(1, Math.round(DAY_MS / Math.max(1000, medianGap(times.subarray(first, Math.min(last + 1, first + 65))))))
  // The values grouped by slot (a counting sort): slot s holds sorted[starts[s] .. starts[s + 1]).
  const starts = new Int32Array(slots + 1)
  for (let index = first; index <= last; index++) if (Number.isFinite(values[index])) (starts[slotOf(times[index] as number, slots) + 1] as number)++
  for (let slot = 0; slot < slots; slot++) starts[slot + 1] = (starts[slot + 1] as number) + (starts[slot] as number)
  const grouped = new Float64Array(starts[slots] as number)
  const filled = starts.slice(0, slots)
  for (let index = first; index <= last; index++) {
    const value = values[index] as number
    if (Number.isFinite(value)) grouped[(filled[slotOf(times[index] as number, slots)] as number)++] = value
  }
  const near = new Float64Array(grouped.length)
  return Float64Array.from({length: slots}, (_v, slot) => {
    let count = 0
    for (let offset = -DAILY_NEIGHBOURS; offset <= DAILY_NEIGHBOURS; offset++) {
      const neighbour = (((slot + offset) % slots) + slots) % slots
      for (let index = starts[neighbour] as number; index < (starts[neighbour + 1] as number); index++) near[count++] = grouped[index] as number
    }
    if (count < 2 * DAILY_MIN_DAYS) return Number.NaN
    const sorted = near.subarray(0, count).sort()
    const middle = count >> 1
    return count % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
  })
}

/** The daily profile of each series that has one. */
export function dailyProfiles(daily: readonly SeriesData[]): Map<string, Float64Array> {
  const profiles = new Map<string, Float64Array>()
  for (const series of daily) {
    const profile = dailyProfile(series)
    if (profile) profiles.set(series.name, profile)
  }
  return profiles
}

/** The fraction of a normal variance left inside ± c standard deviations: the spread of what is kept out is put back. */
function truncatedVariance(c: number): number {
  const density = Math.exp((-c * c) / 2) / Math.sqrt(2 * Math.PI)
  const inside = erf(c / Math.SQRT2)
  return 1 - (2 * c * density) / inside
}

/** The error function (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.327_591_1 * Math.abs(x))
  const poly = t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))))
  return Math.sign(x) * (1 - poly * Math.exp(-x * x))
}

/**
 * The center and spread of training residuals. zscore: the mean and standard
 * deviation of what is left once the values beyond `sensitivity` of a first
 * estimate (past anomalies, spikes, a backup) are kept out, the spread
 * corrected for the cut. mad: the median and 1.4826 × MAD (which ignore
 * them by construction), or √(π/2) × the mean absolute deviation when most
 * values are one value and MAD is 0.
 */
export function baselineOf(residuals: Float64Array, settings: Settings): {count: number; center: number; spread: number} {
  if (settings.method === 'mad') {
    const finite = residuals.filter((value) => Number.isFinite(value))
    const center = median(finite)
    let spread = MAD_TO_STD * medianAbsoluteDeviation(finite, center)
    if (!(spread > 0)) spread = MEAN_AD_TO_STD * summarize(finite.map((value) => Math.abs(value - center))).mean
    return {count: finite.length, center, spread}
  }
  const first = summarize(residuals)
  if (!(first.std > 0)) return first.count > 0 ? {count: first.count, center: first.mean, spread: 0} : {count: 0, center: Number.NaN, spread: Number.NaN}
  const cut = settings.sensitivity * first.std
  const kept = residuals.map((value) => (Math.abs(value - first.mean) > cut ? Number.NaN : value))
  const trimmed = summarize(kept)
  if (!(trimmed.std > 0)) return {count: first.count, center: first.mean, spread: first.std}
  return {count: first.count, center: trimmed.mean, spread: trimmed.std / Math.sqrt(truncatedVariance(settings.sensitivity))}
}

/**
 * Judges the newest `persistence.of` values of each series against its
 * baseline: the training period before them, or — once the extended tier
 * holds two days — the same time of day on earlier days, with the spread of
 * the training period around that pattern. A finding needs
 * `persistence.points` of them beyond `sensitivity` spreads on one side: one
 * odd value is noise, not something to act on. A series with some but fewer
 * such values is `settling` (an anomaly already raised holds, it does not
 * flap). A series is judged only on a value of the newest sample, and only
 * when that sample is fresh. Pure; `nowMs` is the analysis time.
 */
export function detectAnomalies(input: AnomalyInput, settings: Settings, nowMs: number): {anomalies: Anomaly[]; settling: string[]; skipped: Skipped[]} {
  const anomalies: Anomaly[] = []
  const settling: string[] = []
  const skipped: Skipped[] = []
  const profiles = settings.daily_pattern ? input.profiles ?? dailyProfiles(input.daily ?? []) : new Map<string, Float64Array>()
  const {points: needed, of: window} = settings.persistence
  for (const {name, times, values} of input.training) {
    const newestAt = times[times.length - 1]
    if (newestAt === undefined || nowMs - newestAt > input.freshAfterMs) {
      skipped.push({series: name, reason: newestAt === undefined ? 'anomaly: no values' : `anomaly: no sample since ${new Date(newestAt).toISOString()}`})
      continue
    }
    // Judged up to its newest value, which must be from the newest sample time (a malformed field of it aside).
    let newest = times.length - 1
    while (newest >= 0 && !Number.isFinite(values[newest])) newest--
    if (newest < 0 || (times[newest] as number) < newestAt) {
      skipped.push({series: name, reason: 'anomaly: not in the newest sample'})
      continue
    }
    // Without a usual value at this time of day (the extended tier has a gap there), the training period is the baseline.
    const learned = profiles.get(name)
    const profile = learned && Number.isFinite(profileAt(learned, times[newest] as number)) ? learned : undefined
    const residuals = profile ? values.map((value, index) => value - profileAt(profile, times[index] as number)) : values
    const judgedFrom = Math.max(0, newest + 1 - window)
    const baseline = baselineOf(residuals.subarray(0, judgedFrom), settings)
    if (baseline.count < settings.min_data_points) {
      skipped.push({series: name, reason: `anomaly: ${baseline.count} points, needs ${settings.min_data_points}`})
      continue
    }
    // Against the daily pattern a value is judged by the closest of its slot and the slots either side: a backup that starts a few minutes late is not an anomaly.
    const expectedAt = (index: number): number => {
      if (!profile) return baseline.center
      const value = values[index] as number
      const candidates = [-1, 0, 1].map((offset) => profileAt(profile, times[index] as number, offset)).filter((expected) => Number.isFinite(expected))
      const closest = candidates.reduce((best, expected) => (Math.abs(value - expected) < Math.abs(value - best) ? expected : best), candidates[0] ?? Number.NaN)
      return baseline.center + closest
    }
    const spread = Math.max(baseline.spread, spreadFloor(name, expectedAt(newest)))
    let above = 0
    let below = 0
    let latestAbove = -1
    let latestBelow = -1
    for (let index = judgedFrom; index <= newest; index++) {
      const z = ((values[index] as number) - expectedAt(index)) / spread
      if (z > settings.sensitivity) [above, latestAbove] = [above + 1, index]
      else if (z < -settings.sensitivity) [below, latestBelow] = [below + 1, index]
    }
    const side = above >= below ? {count: above, at: latestAbove} : {count: below, at: latestBelow}
    if (side.count >= needed) {
      const value = values[side.at] as number
      const mean = expectedAt(side.at)
      anomalies.push({series: name, value, mean, std: spread, z: (value - mean) / spread, method: settings.method, baseline: profile ? 'daily' : 'period', points: side.count, of: newest - judgedFrom + 1})
    } else if (side.count > 0) settling.push(name)
  }
  anomalies.sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
  return {anomalies, settling, skipped}
}
