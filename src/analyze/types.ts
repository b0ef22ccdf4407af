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
}

export interface Crossing {
  severity: 'warning' | 'error' | 'critical'
  threshold: number
  /** Seconds from now until the fitted line reaches the threshold. */
  in_s: number
  /** The same from the slope ± 1.96 standard errors (95 %): soonest and latest; latest null = maybe never. */
  in_s_range: [number, number | null]
}

export interface Trend {
  series: string
  slope_per_hour: number
  r2: number
  /** The fitted value at now + horizon. */
  forecast: number
  horizon_s: number
  points: number
  crossings: Crossing[]
}

export interface Correlation {
  a: string
  b: string
  r: number
  /** > 0: b follows a this many seconds later; < 0: a follows b. */
  lag_s: number
}

export interface Skipped {
  series: string
  reason: string
}

export interface AnalysisResult {
  host: string
  at: string
  anomalies: Anomaly[]
  trends: Trend[]
  correlations: Correlation[]
  skipped: Skipped[]
}
