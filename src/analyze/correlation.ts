import {isCounter, parseSeriesName} from '../collect/series'
import type {Config} from '../config/schema'
import {laggedPearson, summarize} from './stats'
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

/**
 * Pearson r between every pair of series on one time grid (`stepS` apart),
 * at each lag from −max_lag to +max_lag in steps of stepS, keeping pairs with
 * |r| ≥ min_correlation at their best lag. Constant series and counters are
 * skipped. Values are standardized first so that byte-sized numbers keep
 * their precision. Cost: pairs × lags × points. Pure.
 */
export function findCorrelations(series: readonly SeriesData[], stepS: number, settings: Config['analysis']['correlation']): {correlations: Correlation[]; skipped: Skipped[]} {
  const skipped: Skipped[] = []
  const usable: {name: string; values: Float64Array}[] = []
  for (const {name, values} of series) {
    if (isCounter(name)) continue
    const {count, mean, std} = summarize(values)
    if (count < 3 || !(std > 0)) {
      skipped.push({series: name, reason: count < 3 ? 'correlation: fewer than 3 points' : 'correlation: constant'})
      continue
    }
    usable.push({name, values: values.map((value) => (value - mean) / std)})
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
      for (let lag = -maxLagSteps; lag <= maxLagSteps; lag++) {
        // lag > 0: compare a[t] with b[t + lag], i.e. b follows a.
        const r = lag >= 0 ? laggedPearson(a.values, b.values, lag, 10) : laggedPearson(b.values, a.values, -lag, 10)
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
