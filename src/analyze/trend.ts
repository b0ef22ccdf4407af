import type {Config} from '../config/schema'
import type {Level} from '../rules/resources'
import {linearFit} from './stats'
import type {Crossing, SeriesData, Skipped, Trend} from './types'

/** Two-sided 95 % quantile of the normal distribution, for the slope's range. */
const Z95 = 1.96
/** A slope counts as rising only when it is this many standard errors above zero. */
const MIN_T = 2

/**
 * Least-squares trend of each series over the window, its forecast at the
 * horizon, and — for series with thresholds — when each threshold not yet
 * reached will be crossed, if within the horizon. No crossing is forecast
 * from a flat or falling slope, a slope within 2 standard errors of zero, a
 * fit with R² below min_r2, or fewer than min_points points. Pure; `nowMs`
 * is the time the forecast starts from.
 */
export function analyzeTrends(
  series: readonly SeriesData[],
  levelsFor: (series: string) => Level[],
  settings: Config['analysis']['trend_analysis'],
  nowMs: number,
): {trends: Trend[]; skipped: Skipped[]} {
  const trends: Trend[] = []
  const skipped: Skipped[] = []
  const horizonS = settings.forecast_horizon
  for (const {name, times, values} of series) {
    // x in seconds relative to now: keeps the arithmetic well-conditioned.
    const x = times.map((time) => (time - nowMs) / 1000)
    const fit = linearFit(x, values)
    if (fit.count < settings.min_points) {
      skipped.push({series: name, reason: `trend: ${fit.count} points, needs ${settings.min_points}`})
      continue
    }
    if (!Number.isFinite(fit.slope) || !Number.isFinite(fit.r2)) {
      skipped.push({series: name, reason: 'trend: no variation in the window'})
      continue
    }
    const nowValue = fit.intercept
    const trend: Trend = {
      series: name,
      slope_per_hour: fit.slope * 3600,
      r2: fit.r2,
      forecast: fit.intercept + fit.slope * horizonS,
      horizon_s: horizonS,
      points: fit.count,
      crossings: [],
    }
    const levels = levelsFor(name)
    const rising = fit.slope > 0 && fit.slope > MIN_T * fit.slopeStdError
    if (levels.length > 0 && rising && fit.r2 >= settings.min_r2) {
      const fastest = fit.slope + Z95 * fit.slopeStdError
      const slowest = fit.slope - Z95 * fit.slopeStdError
      for (const {severity, threshold} of levels) {
        if (nowValue >= threshold) continue
        const inS = (threshold - nowValue) / fit.slope
        if (inS > horizonS) continue
        const crossing: Crossing = {severity, threshold, in_s: Math.round(inS), in_s_range: [Math.round((threshold - nowValue) / fastest), slowest > 0 ? Math.round((threshold - nowValue) / slowest) : null]}
        trend.crossings.push(crossing)
      }
    } else if (levels.length > 0 && rising && fit.r2 < settings.min_r2) {
      skipped.push({series: name, reason: `forecast: R² ${fit.r2.toFixed(2)} below ${settings.min_r2}`})
    }
    trends.push(trend)
  }
  return {trends, skipped}
}
