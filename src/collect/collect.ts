import type {ChainableCommander, Redis} from 'ioredis'

import {MonitorError} from '../cli/errors'
import {ExitCode} from '../cli/exit-codes'
import type {Logger} from '../cli/log'
import type {Config, Tier} from '../config/schema'
import type {Keys} from '../store/keys'
import {lockTtlMs, withLock} from '../store/lock'
import {orEmpty} from '../store/replies'
import {queueSample, type Sample} from '../store/samples'
import type {CpuRaw} from './collectors/cpu'
import {type PreviousReading, usablePrevious} from './rates'
import {collectors} from './registry'
import type {Spool, SpoolEntry} from './spool'
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
  /** Where samples go when Redis fails mid-write, and what is replayed first. */
  spool?: Spool
}

/** Redis was down: the sample is in the local spool (exit 4). */
export class SpooledError extends MonitorError {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, ExitCode.spooled, options)
  }
}

/**
 * Queues the writes of one collection, all in the host's hash slot: each
 * tier's sample (its schema, then the XADD trimmed to its retention), its
 * counters, the meta fields. The host's last-seen time lives in a global key
 * and is written apart (markSeen), so that the MULTI never crosses slots on a
 * Redis Cluster. Returns the position of each sample's XADD among the replies.
 */
function queueWrites(multi: ChainableCommander, keys: Keys, host: string, config: Config, samples: Sample[], counters: Partial<Record<Tier, PreviousReading>>, bootTimeS: number): number[] {
  const meta: Record<string, string> = {}
  const positions: number[] = []
  let queued = 0
  for (const sample of samples) {
    // Host facts live in the meta hash; repeating them in every entry would only cost memory.
    const {host: _facts, ...doc} = sample.doc
    queued += queueSample(multi, keys, host, {...sample, doc}, {retentionMs: config.monitoring.retention[sample.tier] * 1000})
    positions.push(queued - 1)
    const next = counters[sample.tier]
    if (next) {
      multi.hset(keys.counters(host), sample.tier, JSON.stringify(next))
      queued++
    }
    meta[`last:${sample.tier}`] = String(sample.atMs)
    if (sample.doc.host) meta.facts = JSON.stringify(sample.doc.host)
  }
  if (bootTimeS) meta.boot_time = String(bootTimeS)
  multi.hset(keys.meta(host), meta)
  return positions
}

/** Records the host's last-seen time (only ever moves forward: GT). */
async function markSeen(redis: Redis, keys: Keys, host: string, samples: Sample[]): Promise<void> {
  if (samples.length > 0) await redis.zadd(keys.hosts, 'GT', Math.max(...samples.map((sample) => sample.atMs)), host)
}

/** The samples whose XADD Redis refused (an id older than the stream's newest). */
const refusedSamples = (samples: Sample[], replies: [Error | null, unknown][], positions: number[]): Sample[] =>
  samples.filter((_sample, index) => replies[positions[index] as number]?.[0])

/**
 * Replays the spool into Redis, oldest first, with the original collection
 * times. An entry older than what the stream already holds cannot be inserted
 * (stream ids only grow): it is dropped and counted, never silently.
 */
export async function replaySpool({redis, keys, config, spool, log}: {redis: Redis; keys: Keys; config: Config; spool: Spool; log: Logger}): Promise<{replayed: number; rejected: number; corrupt: number}> {
  const {claimed, corrupt} = spool.claim()
  for (const name of corrupt) log.warn(`spool entry ${name} is not valid: moved to ${spool.dir}/corrupt/`)
  let replayed = 0
  let rejected = 0
  for (const [index, {file, entry}] of claimed.entries()) {
    const multi = redis.multi()
    const positions = queueWrites(multi, keys, entry.host, config, entry.samples, entry.counters, 0)
    let replies: [Error | null, unknown][]
    try {
      replies = (await multi.exec()) ?? []
    } catch (error) {
      for (const rest of claimed.slice(index)) spool.release(rest.file)
      throw error
    }
    await markSeen(redis, keys, entry.host, entry.samples)
    const refused = refusedSamples(entry.samples, replies, positions)
    rejected += refused.length
    for (const sample of refused) log.warn(`spooled ${sample.tier} sample of ${entry.host} at ${new Date(sample.atMs).toISOString()} is older than the newest in Redis: dropped`)
    replayed += entry.samples.length - refused.length
    spool.done(file)
    spool.forgetCounters(entry.host)
  }
  if (replayed > 0) log.info(`replayed ${replayed} spooled sample(s) into Redis`)
  return {replayed, rejected, corrupt: corrupt.length}
}

/**
 * The collect stage: replays the spool, reads the host once, builds a sample
 * per tier and writes samples, counters, meta and the host's last-seen time
 * in one MULTI (so counters and samples never disagree). If Redis fails
 * mid-write and there is a spool, the sample goes there (SpooledError).
 */
export async function collect(options: CollectOptions): Promise<Sample[]> {
  const {redis, keys, host, config, tiers, log, spool, now = Date.now, procRoot = '/proc', sysRoot = '/sys'} = options
  return withLock(redis, keys.lock(host, 'collect'), lockTtlMs('collect', config), 'collect', async () => {
    if (spool && spool.size > 0) await replaySpool({redis, keys, config, spool, log})
    const [stored, reading] = await Promise.all([
      orEmpty(redis.hmget(keys.counters(host), ...tiers), keys.counters(host), log, []),
      readHost({procRoot, sysRoot, config, tiers}, log, now),
    ])
    const built = tiers.map((tier, index) => buildTier(host, tier, reading, parsePrevious(stored[index]), config))
    const samples = built.map(({sample}) => sample)
    const counters = Object.fromEntries(built.map(({sample, next}) => [sample.tier, next])) as Partial<Record<Tier, PreviousReading>>
    const multi = redis.multi()
    const positions = queueWrites(multi, keys, host, config, samples, counters, reading.bootTimeS)
    let replies: [Error | null, unknown][]
    try {
      replies = (await multi.exec()) ?? []
    } catch (error) {
      if (!spool) throw error
      const {size} = spool.append({version: 1, host, atMs: reading.atMs, samples, counters})
      spool.saveCounters(host, counters)
      throw new SpooledError(`Redis failed while writing (${(error as Error).message}): the sample is kept in ${spool.dir} (${size} waiting)`, {cause: error})
    }
    await markSeen(redis, keys, host, samples)
    for (const sample of refusedSamples(samples, replies, positions)) log.warn(`sample of tier ${sample.tier} at ${new Date(sample.atMs).toISOString()} not stored: the stream holds a newer one (did the clock go back?)`)
    return samples
  })
}

/**
 * Collecting while Redis is unreachable: rates from the counters the last
 * spooled collection kept, the sample into the spool. Returns how many
 * entries wait and how many old ones the bound dropped.
 */
export async function collectOffline({host, config, tiers, log, spool, now = Date.now, procRoot = '/proc', sysRoot = '/sys'}: Omit<CollectOptions, 'redis' | 'keys' | 'spool'> & {spool: Spool}): Promise<{samples: Sample[]; size: number; dropped: number}> {
  const previous = spool.lastCounters(host)
  const reading = await readHost({procRoot, sysRoot, config, tiers}, log, now)
  const built = tiers.map((tier) => buildTier(host, tier, reading, previous[tier], config))
  const samples = built.map(({sample}) => sample)
  const counters = Object.fromEntries(built.map(({sample, next}) => [sample.tier, next])) as SpoolEntry['counters']
  const {size, dropped} = spool.append({version: 1, host, atMs: reading.atMs, samples, counters})
  spool.saveCounters(host, counters)
  if (dropped > 0) log.warn(`the spool is full (${size} entries): dropped the ${dropped} oldest`)
  return {samples, size, dropped}
}
