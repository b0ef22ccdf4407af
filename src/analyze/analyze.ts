import type {Redis} from 'ioredis'

import {isCounter} from '../collect/series'
import {type Config, type Tier, TIERS} from '../config/schema'
import {thresholdsOf} from '../rules/rules'
import type {Logger} from '../cli/log'
import type {StageOptions} from '../stage'
import type {HistoryCache} from '../store/history-cache'
import type {Keys} from '../store/keys'
import {lockTtlMs, withLock} from '../store/lock'
import {readProfiles, type StoredProfiles, writeProfiles} from '../store/profiles'
import {type Columns, readColumns, warnSkipped} from '../store/samples'
import {dailyProfiles, detectAnomalies, spreadFloor} from './anomaly'
import {findCorrelations} from './correlation'
import {medianGap} from './stats'
import {analyzeTrends} from './trend'
import type {AnalysisResult, SeriesData} from './types'

/** The tier with the shortest retention that still covers `periodS` (else the longest kept). */
export function tierCovering(periodS: number, config: Config): Tier {
  const covering = TIERS.filter((tier) => config.monitoring.retention[tier] >= periodS)
  return covering.sort((a, b) => config.monitoring.retention[a] - config.monitoring.retention[b])[0]
    ?? [...TIERS].sort((a, b) => config.monitoring.retention[b] - config.monitoring.retention[a])[0] as Tier
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
  if (!first || first.times.length === 0 || !(stepMs > 0 && Number.isFinite(stepMs))) return []
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

/** The part of each series from `fromMs` on. */
export function sinceTime(series: readonly SeriesData[], fromMs: number): SeriesData[] {
  return series.map(({name, times, values}) => {
    let from = 0
    while (from < times.length && (times[from] as number) < fromMs) from++
    return {name, times: times.subarray(from), values: values.subarray(from)}
  })
}

/** What the analyses read: each from the tier that keeps it. */
export interface History {
  /** analysis.anomaly_detection.training_period. */
  training: readonly SeriesData[]
  /** analysis.trend_analysis.window_size: the short window. */
  window: readonly SeriesData[]
  /** analysis.trend_analysis.long_window; none = no long window. */
  long?: readonly SeriesData[]
  /** The longest-kept tier, for the daily pattern; none = no daily pattern. */
  daily?: readonly SeriesData[]
  /** The daily profiles made from it by an earlier analysis: then `daily` is not needed. */
  profiles?: ReadonlyMap<string, Float64Array>
}

/**
 * The three analyses over histories already read. Pure; `nowMs` anchors
 * forecasts and says which samples are fresh.
 */
export function analyzeHistory(host: string, config: Config, nowMs: number, history: History): AnalysisResult {
  const {anomaly_detection: anomalySettings, trend_analysis: trendSettings, correlation: correlationSettings} = config.analysis
  const result: AnalysisResult = {host, at: new Date(nowMs).toISOString(), anomalies: [], settling: [], trends: [], correlations: [], skipped: []}
  if (anomalySettings.enabled) {
    // Fresh: the newest training sample at most three of its tier's intervals old, as check judges samples.
    const freshAfterMs = 3 * config.monitoring.intervals[tierCovering(anomalySettings.training_period, config)] * 1000
    const {anomalies, settling, skipped} = detectAnomalies({training: history.training, daily: history.daily, profiles: history.profiles, freshAfterMs}, anomalySettings, nowMs)
    result.anomalies = anomalies
    result.settling = settling
    result.skipped.push(...skipped)
  }
  const {window} = history
  if (trendSettings.enabled) {
    const levels = (series: string) => thresholdsOf(series, config)?.levels ?? []
    const {trends, skipped} = analyzeTrends({short: window, long: history.long}, levels, trendSettings, nowMs, spreadFloor)
    result.trends = trends
    result.skipped.push(...skipped)
  }
  if (correlationSettings.enabled) {
    // On the samples' real spacing: under cron the basic tier is a minute apart, not its configured 10 s.
    const stepMs = medianGap(window[0]?.times ?? new Float64Array())
    const {correlations, skipped} = findCorrelations(toGrid(window, stepMs), stepMs / 1000, correlationSettings)
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

/** The tier with the longest retention, when it keeps the two days the daily pattern needs. */
function dailyTier(config: Config): Tier | undefined {
  const longest = [...TIERS].sort((a, b) => config.monitoring.retention[b] - config.monitoring.retention[a])[0] as Tier
  return config.analysis.anomaly_detection.daily_pattern && config.monitoring.retention[longest] >= 2 * 86_400 ? longest : undefined
}

async function analyzeUnlocked({redis, keys, host, config, log, now = Date.now, cache}: AnalyzeOptions): Promise<AnalysisResult> {
  const nowMs = now()
  const {anomaly_detection: anomaly, trend_analysis: trend} = config.analysis
  const periods: {use: 'training' | 'window' | 'long' | 'daily'; tier: Tier; periodS: number}[] = [
    {use: 'training', tier: tierCovering(anomaly.training_period, config), periodS: anomaly.training_period},
    {use: 'window', tier: tierCovering(trend.window_size, config), periodS: trend.window_size},
    {use: 'long', tier: tierCovering(trend.long_window, config), periodS: trend.long_window},
  ]
  const daily = anomaly.enabled ? dailyTier(config) : undefined
  // The daily profiles change only with the daily tier: kept from the last analysis while it has no newer sample.
  const kept = daily ? await keptProfiles(redis, keys, host, daily, log) : undefined
  if (daily && !kept) periods.push({use: 'daily', tier: daily, periodS: config.monitoring.retention[daily]})
  // Each tier is read once, as far back as its longest use.
  const reach = new Map<Tier, number>()
  for (const {tier, periodS} of periods) reach.set(tier, Math.max(reach.get(tier) ?? 0, periodS))
  const keep = (series: string) => !isCounter(series)
  const read = (tier: Tier, fromMs: number) =>
    cache ? cache.read(redis, keys, host, tier, fromMs, keep, warnSkipped(log, keys.samples(host, tier))) : readColumns(redis, keys, host, tier, fromMs, {keep, log})
  const tiers = [...reach.keys()]
  const columns = new Map(await Promise.all(tiers.map(async (tier) => [tier, columnsToSeriesData(await read(tier, nowMs - (reach.get(tier) as number) * 1000))] as const)))
  if ([...columns.values()].every((series) => (series[0]?.times.length ?? 0) === 0)) log.info(`no samples of ${host} yet: collect first`)
  const history: Record<(typeof periods)[number]['use'], SeriesData[]> = {training: [], window: [], long: [], daily: []}
  for (const {use, tier, periodS} of periods) history[use] = sinceTime(columns.get(tier) ?? [], nowMs - periodS * 1000)
  let made: StoredProfiles | undefined
  if (daily && !kept) {
    const judged = new Set(history.training.map((series) => series.name))
    const through = history.daily[0]?.times.at(-1)
    if (through !== undefined) made = {through, profiles: dailyProfiles(history.daily.filter((series) => judged.has(series.name)))}
  }
  const result = analyzeHistory(host, config, nowMs, {...history, profiles: (kept ?? made)?.profiles})
  const json = JSON.stringify(result)
  const multi = redis.multi()
    .set(keys.analysis(host), json)
    .xadd(keys.analysisHistory(host), 'MINID', '~', String(nowMs - config.analysis.history_retention * 1000), `${nowMs}-*`, 'result', json)
  await (made ? writeProfiles(multi, keys, host, made) : multi).exec()
  return result
}

/** The stored daily profiles, when they were made through the daily tier's newest sample (one round trip); else undefined. */
async function keptProfiles(redis: Redis, keys: Keys, host: string, tier: Tier, log: Logger): Promise<StoredProfiles | undefined> {
  try {
    const [newest, stored] = await Promise.all([redis.hget(keys.meta(host), `last:${tier}`), readProfiles(redis, keys, host)])
    return stored && newest !== null && stored.through === Number(newest) ? stored : undefined
  } catch (error) {
    // Made again from the tier, as a malformed record is skipped elsewhere; an unreachable Redis fails the reads that follow.
    log.warn(`skipped ${keys.analysisProfile(host)}: ${(error as Error).message}`)
    return undefined
  }
}
