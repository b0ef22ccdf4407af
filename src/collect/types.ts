import type {Config, Tier} from '../config/schema'
import type {Series} from './series'

/** Where a collector reads the operating system from; tests point these at fixture trees. */
export interface ReadContext {
  procRoot: string
  sysRoot: string
  config: Config
  /** The tiers being collected in this process: lets read() skip costly work no tier needs. */
  tiers: readonly Tier[]
}

export interface SeriesContext {
  tier: Tier
  config: Config
  /** Seconds since the previous reading of this tier, when rates may be computed. */
  elapsedS?: number
  /** Counters saved by the previous reading of this tier (empty when unusable). */
  previous: Record<string, number>
}

export interface CollectorResult {
  series: Series
  /** Raw cumulative counters to keep for the next reading's rates. */
  counters?: Record<string, number>
  /** The non-numeric part of the sample (partitions, interfaces, top processes…). */
  doc?: Record<string, unknown>
}

/**
 * One source of metrics. `read` does the I/O and returns raw data (or
 * undefined when the host has no such thing: no data is not an error);
 * `toSeries` is pure and is tested on captured fixtures.
 */
export interface Collector<Raw = unknown> {
  name: string
  /** The tiers whose samples include this collector's series. */
  tiers: readonly Tier[]
  read(context: ReadContext): Promise<Raw | undefined>
  toSeries(raw: Raw, context: SeriesContext): CollectorResult
}

export const defineCollector = <Raw>(collector: Collector<Raw>): Collector<Raw> => collector
