import type {Redis} from 'ioredis'

import type {AlertEvent} from '../alert/notification'
import {alertJson, byUrgency} from '../alert/views'
import type {AlertState} from '../rules/state'
import {tierCovering} from '../analyze/analyze'
import type {AnalysisResult} from '../analyze/types'
import type {Logger} from '../cli/log'
import type {HostFacts} from '../collect/collectors/host'
import {topProcesses} from '../collect/collectors/processes'
import {parseSeriesName} from '../collect/series'
import {type Config, TIERS} from '../config/schema'
import {aggregate, buckets, summary} from '../query/aggregate'
import {thresholdsOf} from '../rules/rules'
import {RESOURCE_METRICS, resourceOf} from '../rules/resources'
import {FLEET, type Keys} from '../store/keys'
import {readActiveAlerts, readHistory} from '../store/alerts'
import {replyValue, settle} from '../store/replies'
import {type Columns, readColumns, readLatestSample, type Sample, SchemaBook} from '../store/samples'
import {type CoreSeries, type HostReport, type ProcessLine, type ReportData, type Status, worstStatus} from './model'

/** Series a report always shows when the host has them, besides those with thresholds. */
const EXTRA_CORE = ['load.1', 'swap.percent']
/** The series the period statistics and charts are about: only these are decoded from the period. */
const coreSeries = (series: string): boolean => resourceOf(series) !== undefined || EXTRA_CORE.includes(series)
const CHART_POINTS = 240

export function statusOf(value: number | null, levels: CoreSeries['levels']): Status {
  if (value === null) return 'unknown'
  if (!levels) return 'ok'
  return value >= levels.critical ? 'critical' : value >= levels.error ? 'error' : value >= levels.warning ? 'warning' : 'ok'
}

/** Averages points into at most `limit` buckets so that a chart stays small. Pure. */
export function downsample(points: [number, number][], limit = CHART_POINTS): [number, number][] {
  if (points.length <= limit || points.length === 0) return points
  const span = (points.at(-1) as [number, number])[0] - (points[0] as [number, number])[0]
  // Buckets are aligned to the epoch, so a span cut into n steps can touch n + 2 of them.
  const stepMs = Math.max(1, Math.ceil(span / (limit - 2)))
  return buckets(points, stepMs).map(([start, values]) => [start + stepMs / 2, aggregate(values, 'avg')])
}

export interface HostInput {
  host: string
  meta: Record<string, string>
  newest: Sample[]
  /** The period's samples, as columns. */
  period: Columns
  /** The detailed tier over the same period, for series the period's tier does not carry. */
  fallback?: Columns
  analysis: AnalysisResult | undefined
  /** The host's active alerts, the fleet's about it included. */
  alerts: AlertState[]
  log: AlertEvent[]
  lastSeenMs: number | null
}

/** Builds one host's section from what was read. Pure. */
export function assembleHost(input: HostInput, config: Config): HostReport {
  const current: Record<string, number> = {}
  // Newest wins; at the same moment the basic tier (collected most often) wins.
  const order = {extended: 0, detailed: 1, basic: 2}
  for (const sample of [...input.newest].sort((a, b) => a.atMs - b.atMs || order[a.tier] - order[b.tier])) Object.assign(current, sample.series)
  // In a fixed order (cpu, memory, disk, io, network, then load and swap), whatever order the samples had.
  const rank = (name: string) => {
    const resource = resourceOf(name)
    return resource ? Object.keys(RESOURCE_METRICS).indexOf(resource) : Object.keys(RESOURCE_METRICS).length + EXTRA_CORE.indexOf(name)
  }
  const names = Object.keys(current).filter((name) => resourceOf(name) || EXTRA_CORE.includes(name)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const core: CoreSeries[] = names.map((series) => {
    const pointsIn = (columns: Columns | undefined): [number, number][] => {
      const values = columns?.series.get(series)
      if (!columns || !values) return []
      const points: [number, number][] = []
      values.forEach((value, index) => {
        if (!Number.isNaN(value)) points.push([columns.times[index] as number, value])
      })
      return points
    }
    const fromPeriod = pointsIn(input.period)
    const points = fromPeriod.length > 0 ? fromPeriod : pointsIn(input.fallback)
    const values = points.map(([, value]) => value)
    const settings = thresholdsOf(series, config)
    const levels = settings ? {warning: settings.levels[0]?.threshold ?? 0, error: settings.levels[1]?.threshold ?? 0, critical: settings.levels[2]?.threshold ?? 0} : null
    const now = current[series] ?? null
    return {
      series, now, levels, status: statusOf(now, levels),
      stats: summary(values),
      points: downsample(points),
    }
  })
  const extended = input.newest.find((sample) => sample.tier === 'extended')?.doc ?? {}
  const rows = (value: unknown): ProcessLine[] => (Array.isArray(value) ? (value as ProcessLine[]).slice(0, 10).map(({pid, name, cmdline, cpu_percent, memory_percent}) => ({pid, name, cmdline, cpu_percent, memory_percent})) : [])
  let facts: HostFacts | null = null
  try {
    facts = input.meta.facts ? (JSON.parse(input.meta.facts) as HostFacts) : null
  } catch {
    facts = null
  }
  const alertsActive = input.alerts.map((state) => alertJson(input.host, state)).sort(byUrgency)
  const firingStatus = worstStatus(alertsActive.filter((alert) => alert.state === 'firing' && alert.severity !== 'info').map((alert) => alert.severity as Status))
  return {
    host: input.host,
    lastSeen: input.lastSeenMs === null ? null : new Date(input.lastSeenMs).toISOString(),
    status: input.newest.length === 0 ? 'unknown' : worstStatus([firingStatus, ...core.map((entry) => entry.status)]),
    facts,
    core,
    alertsActive,
    alertsFired: input.log.filter((event) => event.kind === 'firing' || event.kind === 'severity'),
    anomalies: input.analysis?.anomalies ?? [],
    forecasts: (input.analysis?.trends ?? []).filter((trend) => trend.crossings.length > 0),
    correlations: input.analysis?.correlations ?? [],
    analyzedAt: input.analysis?.at ?? null,
    topCpu: rows(topProcesses(extended, 'cpu')),
    topMemory: rows(topProcesses(extended, 'memory')),
    failedServices: ((extended.services as {failed?: string[]} | undefined)?.failed ?? []).filter((unit) => typeof unit === 'string'),
    temperatures: Object.entries(current).flatMap(([series, celsius]) => {
      const {metric, labels} = parseSeriesName(series)
      return metric === 'sensor.temperature_celsius' ? [{chip: labels.chip ?? '', sensor: labels.sensor ?? '', celsius}] : []
    }),
    current,
  }
}

export interface BuildOptions {
  redis: Redis
  keys: Keys
  hosts: string[]
  config: Config
  sinceS: number
  now: number
  log: Logger
}

/** Reads what the report needs, one pipeline per host, and assembles it. */
export async function buildReport({redis, keys, hosts, config, sinceS, now, log}: BuildOptions): Promise<ReportData> {
  const fromMs = now - sinceS * 1000
  const periodTier = tierCovering(sinceS, config)
  // Eight hosts at a time: reading a fleet's day all at once fills the heap with reply strings,
  // and collecting that garbage cost more than the reads (50 hosts: 1.3 s of 4 s).
  const reports: HostReport[] = []
  for (let start = 0; start < hosts.length; start += 8) reports.push(...(await Promise.all(hosts.slice(start, start + 8).map((host) => readHostReport(host)))))
  return {generatedAt: new Date(now).toISOString(), since: new Date(fromMs).toISOString(), sinceS, hosts: reports}

  async function readHostReport(host: string): Promise<HostReport> {
    const book = SchemaBook.of(redis, keys, host, log)
    const columns = (tier: (typeof TIERS)[number]) => readColumns(redis, keys, host, tier, fromMs, {keep: coreSeries, log, book})
    // Issued together, auto-pipelined into one round trip per node (the global hosts key may sit on another).
    const replies = await Promise.all([
      redis.hgetall(keys.meta(host)), columns(periodTier), redis.get(keys.analysis(host)),
      readActiveAlerts(redis, keys, [host]).then((alerts) => alerts.map(({state}) => state)),
      readHistory(redis, keys, [host, FLEET], fromMs).then((events) => events.filter((event) => event.host === host)), redis.zscore(keys.hosts, host),
      ...TIERS.map((tier) => readLatestSample(redis, keys, host, tier, {log, book})),
      // The basic tier lacks the detailed-only series (load, swap, disk busy): read those from detailed.
      periodTier === 'basic' ? columns('detailed') : Promise.resolve(undefined),
    ].map(settle))
    const readKeys = [keys.meta(host), keys.samples(host, periodTier), keys.analysis(host), keys.alerts(host), keys.alertLog(host), keys.hosts, ...TIERS.map((tier) => keys.samples(host, tier)), keys.samples(host, 'detailed')]
    const fallbacks: unknown[] = [{}, {times: new Float64Array(0), series: new Map()}, null, [], [], null, undefined, undefined, undefined, undefined]
    const value = <T>(index: number) => replyValue<T>(replies[index], readKeys[index] as string, log, fallbacks[index] as T)
    let analysis: AnalysisResult | undefined
    try {
      analysis = value<string | null>(2) ? (JSON.parse(value<string>(2)) as AnalysisResult) : undefined
    } catch {
      log.warn(`skipped ${keys.analysis(host)}: not valid JSON`)
    }
    const events = value<AlertEvent[]>(4)
    const lastSeen = value<string | null>(5)
    return assembleHost({
      host,
      meta: value(0),
      period: value<Columns>(1),
      analysis,
      alerts: value(3),
      log: events,
      lastSeenMs: lastSeen === null ? null : Number(lastSeen),
      newest: TIERS.flatMap((_tier, index) => value<Sample | undefined>(6 + index) ?? []),
      fallback: value<Columns | undefined>(6 + TIERS.length),
    }, config)
  }
}
