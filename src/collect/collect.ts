import type {Redis} from 'ioredis'

import type {Logger} from '../cli/log'
import type {Config, Tier} from '../config/schema'
import type {Keys} from '../store/keys'
import {encodeFields, type Sample} from '../store/samples'
import type {CpuRaw} from './collectors/cpu'
import {type PreviousReading, usablePrevious} from './rates'
import {collectors} from './registry'
import type {Collector, ReadContext} from './types'

export interface Reading {
  atMs: number
  bootTimeS: number
  /** Raw data by collector name; a collector that found nothing is absent. */
  raws: Map<string, unknown>
}

export interface BuiltTier {
  sample: Sample
  /** What to keep for the next reading of this tier. */
  next: PreviousReading
}

const collectorsFor = (tiers: readonly Tier[]): Collector<never>[] =>
  collectors.filter((collector) => collector.tiers.some((tier) => tiers.includes(tier)))

/** What is stored is what is shown: three decimals, as encodeNumber keeps in Redis. */
const roundValue = (value: number): number => (Number.isInteger(value) ? value : Math.round(value * 1000) / 1000)

/** Parses a stored counters record; anything malformed counts as "no previous reading". */
export function parsePrevious(text: string | null | undefined): PreviousReading | undefined {
  if (!text) return undefined
  try {
    const value = JSON.parse(text) as Partial<PreviousReading>
    if (typeof value.atMs !== 'number' || typeof value.counters !== 'object' || value.counters === null) return undefined
    return {atMs: value.atMs, bootTimeS: typeof value.bootTimeS === 'number' ? value.bootTimeS : 0, counters: value.counters}
  } catch {
    return undefined
  }
}

/**
 * Turns one reading of the host into one sample per tier, each tier's rates
 * computed against that tier's own previous counters (so a detailed sample's
 * cpu.percent is the average over its own interval). Pure.
 */
export function buildTier(host: string, tier: Tier, reading: Reading, previous: PreviousReading | undefined, config: Config): BuiltTier {
  const usable = usablePrevious(previous, reading.atMs, reading.bootTimeS)
  const sample: Sample = {host, tier, atMs: reading.atMs, series: {}, doc: {}}
  const counters: Record<string, number> = {}
  for (const collector of collectors) {
    if (!collector.tiers.includes(tier) || !reading.raws.has(collector.name)) continue
    const result = collector.toSeries(reading.raws.get(collector.name) as never, {tier, config, elapsedS: usable?.elapsedS, previous: usable?.counters ?? {}})
    for (const [name, value] of Object.entries(result.series)) sample.series[name] = roundValue(value)
    Object.assign(counters, result.counters)
    Object.assign(sample.doc, result.doc)
  }
  return {sample, next: {atMs: reading.atMs, bootTimeS: reading.bootTimeS, counters}}
}

/** Reads the host once for all the given tiers. A collector that fails is logged and skipped. */
export async function readHost(context: ReadContext, log: Logger, now: () => number): Promise<Reading> {
  const atMs = now()
  const chosen = collectorsFor(context.tiers)
  const results = await Promise.allSettled(chosen.map((collector) => collector.read(context)))
  const raws = new Map<string, unknown>()
  results.forEach((result, index) => {
    const name = (chosen[index] as Collector<never>).name
    if (result.status === 'rejected') log.warn(`collector ${name} failed: ${(result.reason as Error)?.message ?? result.reason}`)
    else if (result.value === undefined) log.debug(`collector ${name}: no data on this host`)
    else raws.set(name, result.value)
  })
  return {atMs, bootTimeS: (raws.get('cpu') as CpuRaw | undefined)?.bootTimeS ?? 0, raws}
}

export interface CollectOptions {
  redis: Redis
  keys: Keys
  host: string
  config: Config
  tiers: readonly Tier[]
  log: Logger
  now?: () => number
  procRoot?: string
  sysRoot?: string
}

/**
 * The collect stage: reads the host once, builds a sample per tier, and
 * writes samples, counters, meta and the host's last-seen time in one MULTI
 * (so counters and samples never disagree). Two round trips in all.
 */
export async function collect({redis, keys, host, config, tiers, log, now = Date.now, procRoot = '/proc', sysRoot = '/sys'}: CollectOptions): Promise<Sample[]> {
  const [stored, reading] = await Promise.all([
    redis.hmget(keys.counters(host), ...tiers),
    readHost({procRoot, sysRoot, config, tiers}, log, now),
  ])
  const built = tiers.map((tier, index) => buildTier(host, tier, reading, parsePrevious(stored[index]), config))

  const multi = redis.multi()
  const meta: Record<string, string> = {}
  for (const {sample, next} of built) {
    const retentionMs = config.monitoring.retention[sample.tier] * 1000
    multi.xadd(keys.samples(host, sample.tier), 'MINID', '~', String(sample.atMs - retentionMs), `${sample.atMs}-*`, ...encodeFields(sample))
    multi.hset(keys.counters(host), sample.tier, JSON.stringify(next))
    meta[`last:${sample.tier}`] = String(sample.atMs)
    if (sample.doc.host) meta.facts = JSON.stringify(sample.doc.host)
  }
  if (reading.bootTimeS) meta.boot_time = String(reading.bootTimeS)
  multi.hset(keys.meta(host), meta)
  multi.zadd(keys.hosts, reading.atMs, host)
  const replies = (await multi.exec()) ?? []
  built.forEach(({sample}, index) => {
    const error = replies[index * 2]?.[0]
    if (error) log.warn(`sample of tier ${sample.tier} at ${new Date(sample.atMs).toISOString()} not stored: ${error.message} (did the clock go back?)`)
  })
  return built.map(({sample}) => sample)
}
