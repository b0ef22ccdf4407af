/** A series on a time grid: `times[i]` (ms) and `values[i]` (NaN = missing). */
export interface SeriesData {
  name: string
  times: Float64Array
  values: Float64Array
}

export interface Anomaly {
  series: string
  value: number
  /** The center: the mean (zscore) or the median (mad). */
  mean: number
  /** The spread: the standard deviation (zscore) or 1.4826 × MAD (mad). */
  std: number
  z: number
  method: 'zscore' | 'mad'
  /** What the value was compared with: the same time of day on earlier days, or the training period. */
  baseline: 'daily' | 'period'
  /** How many of the newest `of` values were beyond the sensitivity on this side. */
  points: number
  of: number
}

export interface Crossing {
  severity: 'warning' | 'error' | 'critical'
  threshold: number
  /** Seconds from now until the value, rising at the fitted slope from where it is now, reaches the threshold. */
  in_s: number
  /** When the 95 % prediction range's upper and lower edges reach it: soonest and latest; latest null = maybe never. */
  in_s_range: [number, number | null]
}

export interface Trend {
  series: string
  slope_per_hour: number
  r2: number
  /** The value at now + horizon: the value now plus the slope times the horizon. */
  forecast: number
  /** The 95 % prediction range of that value (the start's, the slope's and the noise's uncertainty). */
  forecast_range: [number, number]
  horizon_s: number
  /** The span of the window the slope was fitted on (the most significant of the short window, its newest parts, and the long window). */
  window_s: number
  points: number
  crossings: Crossing[]
}

export interface Correlation {
  a: string
  b: string
  r: number
  /** > 0: b follows a this many seconds later; < 0: a follows b. */
  lag_s: number
  co_movements: number
}

export interface Skipped {
  series: string
  reason: string
}

export interface AnalysisResult {
  host: string
  at: string
  anomalies: Anomaly[]
  /** Series with some of their newest values beyond the sensitivity, fewer than a finding needs: an anomaly alert already raised holds. */
  settling?: string[]
  trends: Trend[]
  correlations: Correlation[]
  skipped: Skipped[]
}
