import {isCounter, parseSeriesName} from '../collect/series'
import type {Config} from '../config/schema'
import {coMovements, laggedPearson, laggedPearsonPrefixed, type Prefixed, prefixed, summarize} from './stats'
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

/** A series ready to be paired: its standardized changes, their running sums when gapless, and how much it moved of late. */
interface Usable {
  name: string
  changes: Float64Array
  gapless?: Prefixed
  recentMove: number
}

/**
 * |standardized change| beyond which a slot counts as a move: 1.5 standard
 * deviations of the series' own change. Measured on pairs of random walks
 * with normal steps, 360 points: pairs related at r = 0.7 share 20 such slots
 * on average (never fewer than 12 in 200 draws); a shared 3-point spike big
 * enough to give r ≥ 0.7 shares its own 2 changes (flat top) or 4 (peaked)
 * and, holding most of each series' variance, leaves the other changes too
 * small to add any: none of 911 such pairs reached 5. At 1 the other changes
 * add some (29 % of peaked spikes reached 5); at 2 a pair at r = 0.7 can
 * share a single slot.
 */
const MOVE_Z = 1.5

/** "Of late": the newest changes over which a series' recent move is taken. */
const RECENT_SLOTS = 10

/**
 * Pearson r between every pair of series on one time grid (`stepS` apart),
 * at each lag from −max_lag to +max_lag in steps of stepS, keeping pairs with
 * |r| ≥ min_correlation at their best lag whose co-movements there (slots
 * where both changed by more than MOVE_Z of their usual change, the way r
 * says) number at least min_co_movements. r alone is carried by a few large
 * slots: two unrelated noise series with one shared spike get r ≈ 0.8 from
 * its two changes.
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
 * when neither series has a gap): 200 series of 360 points at 61 lags take
 * ~670 ms, so at most max_series are paired (50: ~50 ms). Those kept moved
 * most of late: the largest |standardized change| over the newest
 * RECENT_SLOTS slots, measured against each series' own usual change so that
 * bytes and percents compare, and the largest rather than the mean so that
 * one step just now counts (the question behind a correlation is "what moved
 * with what just moved"). The others are reported in `skipped`. Pure.
 */
export function findCorrelations(series: readonly SeriesData[], stepS: number, settings: Config['analysis']['correlation']): {correlations: Correlation[]; skipped: Skipped[]} {
  const {usable, skipped} = standardizeChanges(series)
  const {kept, dropped} = movedMostOfLate(usable, settings.max_series)
  for (const {name} of dropped) skipped.push({series: name, reason: `correlation: not among the ${settings.max_series} series that moved most of late`})
  const maxLagSteps = stepS > 0 ? Math.floor(settings.max_lag / stepS) : 0
  const correlations: Correlation[] = []
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      const a = kept[i] as Usable
      const b = kept[j] as Usable
      if (derivedFromEachOther(a.name, b.name)) continue
      const {r, lag} = bestLag(a, b, maxLagSteps)
      if (!(Math.abs(r) >= settings.min_correlation)) continue
      const sign = Math.sign(r)
      const together = lag >= 0 ? coMovements(a.changes, b.changes, lag, MOVE_Z, sign) : coMovements(b.changes, a.changes, -lag, MOVE_Z, sign)
      if (together >= settings.min_co_movements) correlations.push({a: a.name, b: b.name, r, lag_s: lag * stepS, co_movements: together})
    }
  }
  correlations.sort((left, right) => Math.abs(right.r) - Math.abs(left.r))
  return {correlations, skipped}
}

/** The series that can be paired, with their standardized changes; the others with the reason. Counters are left out silently. */
function standardizeChanges(series: readonly SeriesData[]): {usable: Usable[]; skipped: Skipped[]} {
  const skipped: Skipped[] = []
  const usable: Usable[] = []
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
    usable.push({name, changes: standardized, gapless: prefixed(standardized), recentMove: largestRecentMove(standardized)})
  }
  return {usable, skipped}
}

/** The largest |standardized change| over the newest RECENT_SLOTS slots; 0 when they are all missing. */
function largestRecentMove(standardized: Float64Array): number {
  let largest = 0
  for (let index = Math.max(0, standardized.length - RECENT_SLOTS); index < standardized.length; index++) {
    const size = Math.abs(standardized[index] as number)
    if (size > largest) largest = size
  }
  return largest
}

/**
 * The `maxSeries` series with the largest recent move (ties: the earlier
 * first), kept in their input order so that a pair's a and b do not depend
 * on the ranking; the rest, in input order.
 */
function movedMostOfLate(usable: readonly Usable[], maxSeries: number): {kept: Usable[]; dropped: Usable[]} {
  if (usable.length <= maxSeries) return {kept: [...usable], dropped: []}
  const ranked = usable.map((_series, index) => index).sort((left, right) => (usable[right] as Usable).recentMove - (usable[left] as Usable).recentMove || left - right)
  const keep = new Set(ranked.slice(0, maxSeries))
  return {kept: usable.filter((_series, index) => keep.has(index)), dropped: usable.filter((_series, index) => !keep.has(index))}
}

/** The lag (in slots) with the largest |r|, and that r; r = 0 when no lag has enough pairs. */
function bestLag(a: Usable, b: Usable, maxLagSteps: number): {r: number; lag: number} {
  let bestR = 0
  let best = 0
  const {gapless: gaplessA} = a
  const {gapless: gaplessB} = b
  for (let lag = -maxLagSteps; lag <= maxLagSteps; lag++) {
    // lag > 0: compare a[t] with b[t + lag], i.e. b follows a. Series without gaps take the faster path.
    const r = gaplessA && gaplessB
      ? (lag >= 0 ? laggedPearsonPrefixed(gaplessA, gaplessB, lag, 10) : laggedPearsonPrefixed(gaplessB, gaplessA, -lag, 10))
      : (lag >= 0 ? laggedPearson(a.changes, b.changes, lag, 10) : laggedPearson(b.changes, a.changes, -lag, 10))
    if (Number.isFinite(r) && Math.abs(r) > Math.abs(bestR) + 1e-9) {
      bestR = r
      best = lag
    }
  }
  return {r: bestR, lag: best}
}
