import type {Config} from '../config/schema'
import type {Level} from '../rules/resources'
import {median, medianGap} from './stats'
import type {Crossing, SeriesData, Skipped, Trend} from './types'

/** Two-sided 95 % quantile of the normal distribution, for the prediction range. */
const Z95 = 1.96
/**
 * A slope counts only when it is this many (autocorrelation-adjusted)
 * standard errors above zero. Several windows are tried at every analysis, so
 * the bar is higher than the usual 2.
 */
const MIN_T = 3
/** The newest part of the short window tried on its own, for runaways: 1, 1/2, 1/4 and 1/12 of it. */
const SHORT_PARTS = [1, 2, 4, 12]
/** A window forecasts at most this many times its own length ahead (within the horizon). */
const REACH = 6
/** A fall of this many noise spreads (or twice the series' spread floor) between two points is a drop: the trend restarts after it. */
const DROP_SPREADS = 8
/** The newest values the forecast starts from (their median: one odd value does not move it). */
const NOW_POINTS = 3

/** A series whose newest value is older than this many of its usual gaps has stopped reporting. */
const STALE_SPACINGS = 3

type Settings = Config['analysis']['trend_analysis']

/** Disk space: the series a purge or a rotation empties. */
const isDiskSpace = (series: string): boolean => series.startsWith('disk.used_') || series.startsWith('disk.available_')

function lastFiniteTime({times, values}: SeriesData): number {
  for (let index = values.length - 1; index >= 0; index--) if (Number.isFinite(values[index])) return times[index] as number
  return Number.NaN
}

/** One least-squares line over part of a window. x in seconds before now. */
export interface WindowFit {
  count: number
  /** Per second. */
  slope: number
  /** Standard error of the slope, inflated for the residuals' autocorrelation. */
  slopeStdError: number
  /** Standard deviation of the residuals. */
  sigma: number
  r2: number
  /** Seconds from the first point to now. */
  spanS: number
}

/**
 * Ordinary least squares of values on time over [from, end), with the
 * slope's standard error widened by √((1 + ρ)/(1 − ρ)) for the lag-1
 * autocorrelation ρ of the residuals: disk usage that moves in bursts has
 * far fewer independent points than it has samples. Pure.
 */
export function fitWindow(x: Float64Array, y: Float64Array, from: number, end = x.length): WindowFit | undefined {
  let count = 0
  let meanX = 0
  let meanY = 0
  for (let index = from; index < end; index++) {
    if (!Number.isFinite(y[index])) continue
    count++
    meanX += x[index] as number
    meanY += y[index] as number
  }
  if (count < 3) return undefined
  meanX /= count
  meanY /= count
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let index = from; index < end; index++) {
    const yi = y[index] as number
    if (!Number.isFinite(yi)) continue
    const dx = (x[index] as number) - meanX
    sxx += dx * dx
    sxy += dx * (yi - meanY)
    syy += (yi - meanY) ** 2
  }
  if (!(sxx > 0)) return undefined
  const slope = sxy / sxx
  let residualSquares = 0
  let lagged = 0
  let previous = Number.NaN
  for (let index = from; index < end; index++) {
    const yi = y[index] as number
    if (!Number.isFinite(yi)) continue
    const residual = yi - meanY - slope * ((x[index] as number) - meanX)
    residualSquares += residual * residual
    if (Number.isFinite(previous)) lagged += residual * previous
    previous = residual
  }
  const rho = residualSquares > 0 ? Math.min(0.95, Math.max(0, lagged / residualSquares)) : 0
  const sigma = Math.sqrt(residualSquares / Math.max(1, count - 2))
  const slopeStdError = (sigma / Math.sqrt(sxx)) * Math.sqrt((1 + rho) / (1 - rho))
  const firstX = x[from] as number
  return {count, slope, slopeStdError, sigma, r2: syy > 0 ? 1 - residualSquares / syy : 0, spanS: -firstX}
}

/** The noise of a series: 1.4826 × the median absolute change from one point to the next, over √2. */
function noiseOf(values: Float64Array): number {
  const steps: number[] = []
  for (let index = 1; index < values.length; index++) {
    const step = (values[index] as number) - (values[index - 1] as number)
    if (Number.isFinite(step)) steps.push(Math.abs(step))
  }
  return steps.length > 0 ? (1.4826 * median(Float64Array.from(steps))) / Math.SQRT2 : 0
}

/** The drops of a series (a rotation, a purge): the index after each, and the value it fell from. */
export function dropsOf(values: Float64Array, floor: number): {after: number; from: number}[] {
  const cut = Math.max(DROP_SPREADS * noiseOf(values), 2 * floor)
  const drops: {after: number; from: number}[] = []
  let previous = Number.NaN
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number
    if (!Number.isFinite(value)) continue
    if (previous - value > cut) drops.push({after: index, from: previous})
    previous = value
  }
  return drops
}

/** Where a forecast starts: the newest finite values brought forward to now along the slope, their median (one odd value does not move it). */
function valueNow({times, values}: SeriesData, slopePerS: number, nowMs: number): number {
  const newest: number[] = []
  for (let index = values.length - 1; index >= 0 && newest.length < NOW_POINTS; index--) {
    if (Number.isFinite(values[index])) newest.push((values[index] as number) + (slopePerS * (nowMs - (times[index] as number))) / 1000)
  }
  return median(Float64Array.from(newest))
}

interface Candidate {
  fit: WindowFit
  /** How far ahead this window may forecast. */
  reachS: number
}

/** The candidate fits of one series: the short window and its newest parts, and the long window, each after the newest drop. */
function candidatesOf(windows: readonly (SeriesData | undefined)[], settings: Settings, nowMs: number, floor: number): {candidates: Candidate[]; restartedAt?: number; purgedAt?: number} {
  const candidates: Candidate[] = []
  let restartedAt: number | undefined
  let purgedAt: number | undefined
  windows.forEach((window, which) => {
    if (!window) return
    const x = window.times.map((time) => (time - nowMs) / 1000)
    const drops = dropsOf(window.values, floor)
    const start = drops.at(-1)?.after ?? 0
    if (start > 0) restartedAt = Math.max(restartedAt ?? 0, window.times[start] as number)
    for (const drop of drops) purgedAt = Math.max(purgedAt ?? Number.NEGATIVE_INFINITY, drop.from)
    const parts = which === 0 ? SHORT_PARTS : [1]
    const lengthS = which === 0 ? settings.window_size : settings.long_window
    for (const part of parts) {
      let from = start
      while (from < x.length && (x[from] as number) < -lengthS / part) from++
      const fit = fitWindow(x, window.values, from)
      // The reach is measured on what was fitted: after a drop or in a young tier every part may start at the same recent point.
      if (fit && fit.count >= settings.min_points) candidates.push({fit, reachS: Math.min(settings.forecast_horizon, REACH * Math.min(lengthS / part, fit.spanS))})
    }
  })
  return {candidates, restartedAt, purgedAt}
}

/** The 95 % prediction range of the value `aheadS` from now: the start's and the slope's uncertainty, and the noise then. */
function rangeAt(level: number, fit: WindowFit, aheadS: number): [number, number] {
  const center = level + fit.slope * aheadS
  const half = Z95 * Math.sqrt(2 * fit.sigma ** 2 + (aheadS * fit.slopeStdError) ** 2)
  return [center - half, center + half]
}

/** When the range's upper (soonest) and lower (latest) edge reach `threshold`; latest null = not within REACH horizons. */
function crossingRange(level: number, fit: WindowFit, threshold: number, horizonS: number): [number, number | null] {
  const steps = 400
  const endS = REACH * horizonS
  let soonest: number | undefined
  for (let step = 0; step <= steps; step++) {
    const aheadS = (endS * step) / steps
    const [low, high] = rangeAt(level, fit, aheadS)
    if (soonest === undefined && high >= threshold) soonest = aheadS
    if (low >= threshold) return [Math.round(soonest ?? aheadS), Math.round(aheadS)]
  }
  return [Math.round(soonest ?? endS), null]
}

/**
 * Each series' trend and, for series with thresholds, when each threshold
 * not yet reached will be crossed within the horizon.
 *
 * Lines are fitted on the short window (window_size, the basic tier), on its
 * newest half, quarter and twelfth (a runaway of the last minutes), and on
 * the long window (long_window, the detailed tier: slow fills), each only on
 * what came after the newest drop (a rotation or a purge restarts the trend;
 * for disk space, a threshold above the level a drop fell from is not
 * forecast until the value rises past that level: that disk is emptied at a
 * high-water mark). A series whose newest value is older than three of its
 * usual gaps has stopped reporting and is skipped.
 * The fit whose slope is most significant is used, and only when that slope
 * is at least 3 autocorrelation-adjusted standard errors above zero and
 * fitted on min_points or more; a window forecasts no further than 6 times
 * its length. The forecast starts from the value now (the newest 3
 * brought forward to now along the slope, their median), not from the
 * line's end. Pure.
 */
export function analyzeTrends(
  input: {short: readonly SeriesData[]; long?: readonly SeriesData[]},
  levelsFor: (series: string) => Level[],
  settings: Settings,
  nowMs: number,
  floorOf: (series: string, value: number) => number,
): {trends: Trend[]; skipped: Skipped[]} {
  const trends: Trend[] = []
  const skipped: Skipped[] = []
  const long = new Map((input.long ?? []).map((series) => [series.name, series]))
  const names = [...new Set([...input.short.map((series) => series.name), ...long.keys()])].sort()
  const short = new Map(input.short.map((series) => [series.name, series]))
  const horizonS = settings.forecast_horizon
  // The series of one window share their times: their usual gap is found once.
  const gaps = new Map<Float64Array, number>()
  const gapOf = (times: Float64Array): number => gaps.get(times) ?? (gaps.set(times, medianGap(times)).get(times) as number)
  for (const name of names) {
    const newest = short.get(name) ?? long.get(name) as SeriesData
    const latest = valueNow(newest, 0, nowMs)
    if (!Number.isFinite(latest)) {
      skipped.push({series: name, reason: 'trend: no values'})
      continue
    }
    // A series that stopped reporting (a mount removed) is not carried forward along its old slope.
    const lastAt = lastFiniteTime(newest)
    if (nowMs - lastAt > STALE_SPACINGS * gapOf(newest.times)) {
      skipped.push({series: name, reason: `trend: no sample since ${new Date(lastAt).toISOString()}`})
      continue
    }
    const floor = floorOf(name, latest)
    const {candidates, restartedAt, purgedAt} = candidatesOf([short.get(name), long.get(name)], settings, nowMs, floor)
    if (candidates.length === 0) {
      const since = restartedAt === undefined ? '' : ` since a drop at ${new Date(restartedAt).toISOString()}`
      skipped.push({series: name, reason: `trend: fewer than ${settings.min_points} points${since}`})
      continue
    }
    const tOf = ({fit}: Candidate): number => (fit.slopeStdError > 0 ? fit.slope / fit.slopeStdError : fit.slope > 0 ? Number.POSITIVE_INFINITY : 0)
    const best = candidates.reduce((a, b) => (tOf(b) > tOf(a) ? b : a))
    const {fit} = best
    const level = valueNow(newest, fit.slope, nowMs)
    const trend: Trend = {
      series: name,
      slope_per_hour: fit.slope * 3600,
      r2: fit.r2,
      forecast: level + fit.slope * horizonS,
      forecast_range: rangeAt(level, fit, horizonS),
      horizon_s: horizonS,
      window_s: Math.round(fit.spanS),
      points: fit.count,
      crossings: [],
    }
    const levels = levelsFor(name)
    if (levels.length > 0 && fit.slope > 0) {
      const t = tOf(best)
      if (t < MIN_T) skipped.push({series: name, reason: `forecast: rise not significant (${t.toFixed(1)} standard errors, needs ${MIN_T})`})
      else if (fit.r2 < settings.min_r2) skipped.push({series: name, reason: `forecast: R² ${fit.r2.toFixed(2)} below ${settings.min_r2}`})
      else {
        for (const {severity, threshold} of levels) {
          if (level >= threshold) continue
          // A disk emptied before at a high-water mark below this threshold (a purge, a rotation): not forecast to cross it until it
          // rises past that mark (give or take the smallest drop: the last write before a purge varies). Memory after a restart is not.
          if (isDiskSpace(name) && purgedAt !== undefined && purgedAt < threshold && level <= purgedAt + 2 * floor) {
            skipped.push({series: name, reason: `forecast: emptied before at ${purgedAt.toFixed(1)}, below ${threshold}: no crossing forecast until it rises past that`})
            continue
          }
          const inS = (threshold - level) / fit.slope
          if (inS > best.reachS) continue
          const [soonest, latest] = crossingRange(level, fit, threshold, horizonS)
          // The range is found in steps: it holds the estimate however the steps fall.
          const crossing: Crossing = {severity, threshold, in_s: Math.round(inS), in_s_range: [Math.min(soonest, Math.round(inS)), latest === null ? null : Math.max(latest, Math.round(inS))]}
          trend.crossings.push(crossing)
        }
      }
    }
    trends.push(trend)
  }
  return {trends, skipped}
}
