import {isCounter, parseSeriesName} from '../collect/series'
import type {Config} from '../config/schema'
import {laggedPearson, laggedPearsonPrefixed, type Prefixed, prefixed, summarize} from './stats'
import type {Correlation, SeriesData, Skipped} from './types'

/**
 * Metrics derived from one another: a pair inside one family with the same
 * labels (or one without labels, e.g. cpu.percent and cpu.time_percent{…})
 * says nothing new and is not reported.
 */
const FAMILIES: Record<string, string> = {
  'cpu.percent': 'cpu', 'cpu.time_percent': 'cpu',
  'memory.available_bytes': 'memory', 'memory.percent': 'memory', 'memory.used_bytes': 'memory', 'memory.free_bytes': 'memory',
  'swap.used_bytes': 'swap', 'swap.free_bytes': 'swap', 'swap.percent': 'swap',
  'disk.used_bytes': 'disk.space', 'disk.used_percent': 'disk.space', 'disk.available_bytes': 'disk.space',
  'net.rx_bytes_per_sec': 'net.traffic', 'net.tx_bytes_per_sec': 'net.traffic', 'net.utilization_percent': 'net.traffic',
  'net.rx_packets_per_sec': 'net.traffic', 'net.tx_packets_per_sec': 'net.traffic',
  'disk.reads_per_sec': 'disk.io', 'disk.writes_per_sec': 'disk.io', 'disk.read_bytes_per_sec': 'disk.io', 'disk.write_bytes_per_sec': 'disk.io', 'disk.busy_percent': 'disk.io',
  'proc.count': 'proc', 'system.processes': 'proc',
}

export function derivedFromEachOther(a: string, b: string): boolean {
  if (a === b) return true
  const left = parseSeriesName(a)
  const right = parseSeriesName(b)
  const family = FAMILIES[left.metric] ?? left.metric
  if (family !== (FAMILIES[right.metric] ?? right.metric)) return false
  const leftKeys = Object.keys(left.labels)
  const rightKeys = Object.keys(right.labels)
  if (leftKeys.length === 0 || rightKeys.length === 0) return true
  return JSON.stringify(left.labels) === JSON.stringify(right.labels)
}

/** Changes from one grid slot to the next; NaN where either slot is missing. */
export function changes(values: Float64Array): Float64Array {
  const result = new Float64Array(Math.max(0, values.length - 1))
  for (let index = 1; index < values.length; index++) result[index - 1] = (values[index] as number) - (values[index - 1] as number)
  return result
}

/**
 * Pearson r between every pair of series on one time grid (`stepS` apart),
 * at each lag from −max_lag to +max_lag in steps of stepS, keeping pairs with
 * |r| ≥ min_correlation at their best lag.
 *
 * r is computed on the changes from one slot to the next, not on the levels:
 * any two series that drift (a disk filling, memory creeping up) correlate
 * in level with no relation at all — 270 of 780 pairs of independent random
 * walks did in `npm run bench`. A series that follows another still has
 * changes that follow the other's.
 *
 * Constant series, series that change at a constant rate, and counters are
 * skipped. Changes are standardized first so that byte-sized numbers keep
 * their precision. Cost: pairs × lags × points (one multiply-add each
 * when neither series has a gap). Pure.
 */
export function findCorrelations(series: readonly SeriesData[], stepS: number, settings: Config['analysis']['correlation']): {correlations: Correlation[]; skipped: Skipped[]} {
  const skipped: Skipped[] = []
  const usable: {name: string; values: Float64Array; gapless?: Prefixed}[] = []
  for (const {name, values} of series) {
    if (isCounter(name)) continue
    const delta = changes(values)
    const {count, mean, std} = summarize(delta)
    if (count < 3 || !(std > 0)) {
      const reason = count < 3 ? 'correlation: fewer than 4 points' : summarize(values).std > 0 ? 'correlation: changes at a constant rate' : 'correlation: constant'
      skipped.push({series: name, reason})
      continue
    }
    const standardized = delta.map((value) => (value - mean) / std)
    usable.push({name, values: standardized, gapless: prefixed(standardized)})
  }
  const maxLagSteps = stepS > 0 ? Math.floor(settings.max_lag / stepS) : 0
  const correlations: Correlation[] = []
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) {
      const a = usable[i] as (typeof usable)[number]
      const b = usable[j] as (typeof usable)[number]
      if (derivedFromEachOther(a.name, b.name)) continue
      let bestR = 0
      let bestLag = 0
      const {gapless: gaplessA} = a
      const {gapless: gaplessB} = b
      for (let lag = -maxLagSteps; lag <= maxLagSteps; lag++) {
        // lag > 0: compare a[t] with b[t + lag], i.e. b follows a. Series without gaps take the faster path.
        const r = gaplessA && gaplessB
          ? (lag >= 0 ? laggedPearsonPrefixed(gaplessA, gaplessB, lag, 10) : laggedPearsonPrefixed(gaplessB, gaplessA, -lag, 10))
          : (lag >= 0 ? laggedPearson(a.values, b.values, lag, 10) : laggedPearson(b.values, a.values, -lag, 10))
        if (Number.isFinite(r) && Math.abs(r) > Math.abs(bestR) + 1e-9) {
          bestR = r
          bestLag = lag
        }
      }
      if (Math.abs(bestR) >= settings.min_correlation) correlations.push({a: a.name, b: b.name, r: bestR, lag_s: bestLag * stepS})
    }
  }
  correlations.sort((left, right) => Math.abs(right.r) - Math.abs(left.r))
  return {correlations, skipped}
}
