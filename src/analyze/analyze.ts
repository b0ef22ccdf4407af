import {isCounter} from '../collect/series'
import {type Config, type Tier, TIERS} from '../config/schema'
import {levelsOf} from '../rules/resources'
import type {StageOptions} from '../stage'
import type {HistoryCache} from '../store/history-cache'
import {lockTtlMs, withLock} from '../store/lock'
import {type Columns, readColumns, type Sample, warnSkipped} from '../store/samples'
import {detectAnomalies} from './anomaly'
import {findCorrelations} from './correlation'
import {analyzeTrends} from './trend'
import type {AnalysisResult, SeriesData} from './types'

/** The tier with the shortest retention that still covers `periodS` (else the longest kept). */
export function tierCovering(periodS: number, config: Config): Tier {
  const covering = TIERS.filter((tier) => config.monitoring.retention[tier] >= periodS)
  return covering.sort((a, b) => config.monitoring.retention[a] - config.monitoring.retention[b])[0]
    ?? [...TIERS].sort((a, b) => config.monitoring.retention[b] - config.monitoring.retention[a])[0] as Tier
}

/**
 * One array per series over the samples' own times (NaN where a sample lacks
 * the series: it appeared or vanished mid-window). Counters are left out:
 * their rates are series of their own. Pure.
 */
export function toSeriesData(samples: readonly Sample[]): SeriesData[] {
  const names = new Set<string>()
  for (const sample of samples) for (const name of Object.keys(sample.series)) if (!isCounter(name)) names.add(name)
  const times = Float64Array.from(samples, (sample) => sample.atMs)
  return [...names].sort().map((name) => ({name, times, values: Float64Array.from(samples, (sample) => sample.series[name] ?? Number.NaN)}))
}

/** Columns as SeriesData, sorted by name. Pure. */
export function columnsToSeriesData({times, series}: Columns): SeriesData[] {
  return [...series.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([name, values]) => ({name, times, values}))
}

/**
 * Puts series on a regular grid `stepMs` apart, starting at the first sample;
 * a slot no sample fell in stays NaN. Correlation at a lag needs slots, not
 * timestamps. Pure.
 */
export function toGrid(series: readonly SeriesData[], stepMs: number): SeriesData[] {
  const first = series[0]
  if (!first || first.times.length === 0) return []
  const start = first.times[0] as number
  const slots = Math.round(((first.times[first.times.length - 1] as number) - start) / stepMs) + 1
  const times = Float64Array.from({length: slots}, (_v, index) => start + index * stepMs)
  return series.map(({name, times: sampleTimes, values}) => {
    const gridded = new Float64Array(slots).fill(Number.NaN)
    sampleTimes.forEach((time, index) => {
      gridded[Math.round((time - start) / stepMs)] = values[index] as number
    })
    return {name, times, values: gridded}
  })
}

/**
 * The three analyses over histories already read (samples or columns).
 * Pure; `nowMs` anchors forecasts.
 */
export function analyzeHistory(host: string, config: Config, nowMs: number, history: {training: Sample[] | SeriesData[]; window: Sample[] | SeriesData[]; windowStepS: number}): AnalysisResult {
  const {anomaly_detection: anomalySettings, trend_analysis: trendSettings, correlation: correlationSettings} = config.analysis
  const result: AnalysisResult = {host, at: new Date(nowMs).toISOString(), anomalies: [], trends: [], correlations: [], skipped: []}
  const asSeries = (input: Sample[] | SeriesData[]): SeriesData[] => (input.length > 0 && 'values' in (input[0] as object) ? (input as SeriesData[]) : toSeriesData(input as Sample[]))
  if (anomalySettings.enabled) {
    const {anomalies, skipped} = detectAnomalies(asSeries(history.training), anomalySettings)
    result.anomalies = anomalies
    result.skipped.push(...skipped)
  }
  const window = asSeries(history.window)
  if (trendSettings.enabled) {
    const {trends, skipped} = analyzeTrends(window, (series) => levelsOf(series, config), trendSettings, nowMs)
    result.trends = trends
    result.skipped.push(...skipped)
  }
  if (correlationSettings.enabled) {
    const {correlations, skipped} = findCorrelations(toGrid(window, history.windowStepS * 1000), history.windowStepS, correlationSettings)
    result.correlations = correlations
    result.skipped.push(...skipped)
  }
  return result
}

export interface AnalyzeOptions extends StageOptions {
  /** A resident process passes one, so that each analysis reads only new entries. */
  cache?: HistoryCache
}

/**
 * The analyze stage: reads the training period and the trend window from the
 * tiers that keep them, analyzes, and stores the result as the host's latest
 * analysis plus an entry of its history stream.
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalysisResult> {
  return withLock(options.redis, options.keys.lock(options.host, 'analyze'), lockTtlMs('analyze', options.config), 'analyze', () => analyzeUnlocked(options))
}

async function analyzeUnlocked({redis, keys, host, config, log, now = Date.now, cache}: AnalyzeOptions): Promise<AnalysisResult> {
  const nowMs = now()
  const {training_period: trainingS} = config.analysis.anomaly_detection
  const {window_size: windowS} = config.analysis.trend_analysis
  const trainingTier = tierCovering(trainingS, config)
  const windowTier = tierCovering(windowS, config)
  const read = (tier: Tier, fromMs: number) => {
    const keep = (series: string) => !isCounter(series)
    return cache ? cache.read(redis, keys, host, tier, fromMs, keep, warnSkipped(log, keys.samples(host, tier))) : readColumns(redis, keys, host, tier, fromMs, {keep, log})
  }
  const [training, window] = await Promise.all([
    read(trainingTier, nowMs - trainingS * 1000),
    trainingTier === windowTier && trainingS === windowS ? undefined : read(windowTier, nowMs - windowS * 1000),
  ])
  if (training.times.length === 0 && (window?.times.length ?? 0) === 0) log.info(`no samples of ${host} yet: collect first`)
  const trainingSeries = columnsToSeriesData(training)
  const result = analyzeHistory(host, config, nowMs, {training: trainingSeries, window: window ? columnsToSeriesData(window) : trainingSeries, windowStepS: config.monitoring.intervals[windowTier]})
  const json = JSON.stringify(result)
  await redis.multi()
    .set(keys.analysis(host), json)
    .xadd(keys.analysisHistory(host), 'MINID', '~', String(nowMs - config.analysis.history_retention * 1000), `${nowMs}-*`, 'result', json)
    .exec()
  return result
}
