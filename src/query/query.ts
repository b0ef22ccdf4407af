import type {Redis} from 'ioredis'

import {tierCovering} from '../analyze/analyze'
import type {Logger} from '../cli/log'
import {type Config, type Tier, TIERS} from '../config/schema'
import type {Keys} from '../store/keys'
import {readLatestSample, readSamples} from '../store/samples'
import {aggregate, type Aggregation, buckets} from './aggregate'
import {matches} from './select'

export interface SeriesPoints {
  host: string
  series: string
  points: [number, number][]
}

export interface QueryRow {
  host: string
  series: string
  /** Start of the step bucket (ISO), or null for the whole range. */
  from: string | null
  values: Partial<Record<Aggregation, number | null>>
}

/** Reads the points of every series matching any selector, from one tier, for each host. */
export async function queryPoints({redis, keys, config, hosts, selectors, fromMs, toMs, tier, log}: {redis: Redis; keys: Keys; config: Config; hosts: string[]; selectors: string[]; fromMs: number; toMs: number; tier?: Tier; log: Logger}): Promise<{tier: Tier; series: SeriesPoints[]}> {
  const chosen = tier ?? tierCovering(Math.floor((toMs - fromMs) / 1000), config)
  const perHost = await Promise.all(hosts.map(async (host) => {
    const samples = await readSamples(redis, keys, host, chosen, fromMs, toMs, {log})
    const bySeries = new Map<string, [number, number][]>()
    for (const sample of samples) {
      for (const [series, value] of Object.entries(sample.series)) {
        if (!selectors.some((selector) => matches(selector, series))) continue
        const points = bySeries.get(series) ?? []
        points.push([sample.atMs, value])
        bySeries.set(series, points)
      }
    }
    return [...bySeries.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([series, points]) => ({host, series, points}))
  }))
  return {tier: chosen, series: perHost.flat()}
}

/** Every series name these hosts report, from the newest sample of each tier. */
export async function knownSeries(redis: Redis, keys: Keys, hosts: string[]): Promise<Set<string>> {
  const samples = await Promise.all(hosts.flatMap((host) => TIERS.map((tier) => readLatestSample(redis, keys, host, tier))))
  return new Set(samples.flatMap((sample) => Object.keys(sample?.series ?? {})))
}

/** Aggregates each series over the whole range, or per `stepMs` bucket. Pure. */
export function aggregateRows(series: SeriesPoints[], aggregations: Aggregation[], stepMs?: number): QueryRow[] {
  return series.flatMap(({host, series: name, points}) => {
    const groups: [number | null, number[]][] = stepMs ? buckets(points, stepMs) : [[null, points.map(([, value]) => value)]]
    return groups.map(([start, values]) => ({
      host, series: name, from: start === null ? null : new Date(start).toISOString(),
      values: Object.fromEntries(aggregations.map((how) => {
        const result = aggregate(values, how)
        return [how, Number.isFinite(result) ? Math.round(result * 1000) / 1000 : null]
      })),
    }))
  })
}
