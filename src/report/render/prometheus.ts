import {isCounter, parseSeriesName} from '../../collect/series'
import type {ReportData} from '../model'

/** Export names that Prometheus' naming conventions want different from ours (promtool lints `_count`). */
const RENAMED: Record<string, string> = {'cpu.count': 'cpus', 'proc.count': 'processes'}

/**
 * A valid Prometheus metric name: `cpu.percent` → `monitor_cpu_percent`;
 * units spelled out (`_per_sec` → `_per_second`); counters end in `_total`.
 * The output passes `promtool check metrics` without a lint.
 */
export function metricName(metric: string, counter: boolean): string {
  const name = `monitor_${(RENAMED[metric] ?? metric).replace(/_per_sec$/, '_per_second').replace(/[^a-zA-Z0-9_]/g, '_')}`
  return counter && !name.endsWith('_total') ? `${name}_total` : name
}

const labelName = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([^a-zA-Z_])/, '_$1')
const labelValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

/**
 * The current values in the Prometheus text exposition format (0.0.4): one
 * HELP and TYPE per metric, a `host` label on every sample, for node_exporter's
 * textfile collector or any scraper. Pure.
 */
export function renderPrometheus(data: ReportData): string {
  const families = new Map<string, {counter: boolean; source: string; lines: string[]}>()
  for (const host of data.hosts) {
    for (const [series, value] of Object.entries(host.current)) {
      if (!Number.isFinite(value)) continue
      const {metric, labels} = parseSeriesName(series)
      const counter = isCounter(series)
      const name = metricName(metric, counter)
      const family = families.get(name) ?? {counter, source: metric, lines: []}
      const pairs = Object.entries({host: host.host, ...labels}).map(([key, label]) => `${labelName(key)}="${labelValue(label)}"`)
      family.lines.push(`${name}{${pairs.join(',')}} ${value}`)
      families.set(name, family)
    }
  }
  const out: string[] = []
  for (const [name, family] of [...families.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    out.push(`# HELP ${name} monitor series ${family.source}`, `# TYPE ${name} ${family.counter ? 'counter' : 'gauge'}`, ...family.lines)
  }
  return out.join('\n') + '\n'
}
