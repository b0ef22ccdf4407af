/**
 * Canonical series names: `metric` or `metric{label="value",...}`, the metric
 * a dotted lower-case name (`disk.used_percent`), label values escaped as in
 * Prometheus (`\\` and `"` and newlines). The same names are used by
 * thresholds, queries, reports and the Prometheus export.
 */
export type Series = Record<string, number>
export type Labels = Record<string, string>

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

export function seriesName(metric: string, labels?: Labels): string {
  if (!labels) return metric
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`)
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`
}

/** Splits a series name back into its metric and labels; the inverse of seriesName. */
export function parseSeriesName(name: string): {metric: string; labels: Labels} {
  const brace = name.indexOf('{')
  if (brace === -1 || !name.endsWith('}')) return {metric: name, labels: {}}
  const labels: Labels = {}
  const body = name.slice(brace + 1, -1)
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g
  for (const match of body.matchAll(pattern)) {
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_m, ch: string) => (ch === 'n' ? '\n' : ch))
  }
  return {metric: name.slice(0, brace), labels}
}

/** Adds `value` under `name` when it is a finite number; absent stays absent. */
export function put(series: Series, name: string, value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) series[name] = value
}

/**
 * Metrics that are raw cumulative counters (they only grow until a reset):
 * analysis uses their rates instead, never the counters themselves.
 */
export const COUNTER_METRICS: ReadonlySet<string> = new Set([
  'net.rx_bytes', 'net.tx_bytes', 'net.rx_packets', 'net.tx_packets',
  'net.rx_errors', 'net.tx_errors', 'net.rx_dropped', 'net.tx_dropped',
  'system.uptime_seconds',
])

export const isCounter = (series: string): boolean => COUNTER_METRICS.has(parseSeriesName(series).metric)
