import {formatDuration, formatValue} from '../../cli/format'
import {colourOn, makeTable, paint} from '../../cli/table'
import type {ReportData} from '../model'

const num = (series: string, value: number | null) => (value === null ? '–' : formatValue(series, value))

/** The report for a terminal: cli-table3 tables, coloured only when `colour` (a TTY without NO_COLOR; never into a file). */
export function renderTable(data: ReportData, colour = colourOn()): string {
  const out = [`monitor report · ${data.since} → ${data.generatedAt} (${formatDuration(data.sinceS)})`]
  if (data.hosts.length > 1) {
    const fleet = makeTable(['host', 'status', 'firing', 'last seen'], {colour})
    for (const host of data.hosts) fleet.push([host.host, paint(host.status, colour), host.alertsActive.filter((alert) => alert.state === 'firing').length, host.lastSeen ?? 'never'])
    out.push(fleet.toString())
  }
  for (const host of data.hosts) {
    out.push('', `${host.host} — ${paint(host.status, colour)}${host.facts ? ` — ${host.facts.os}, ${host.facts.cpu_count} CPUs` : ''}`)
    const core = makeTable(['series', 'now', 'status', 'min', 'avg', 'p95', 'max'], {alignRight: [1, 3, 4, 5, 6], colour})
    for (const entry of host.core) core.push([entry.series, num(entry.series, entry.now), paint(entry.status, colour), num(entry.series, entry.stats.min), num(entry.series, entry.stats.avg), num(entry.series, entry.stats.p95), num(entry.series, entry.stats.max)])
    out.push(core.toString())
    out.push(host.alertsActive.length === 0 ? 'alerts: none active' : `alerts: ${host.alertsActive.map((alert) => `${paint(alert.severity, colour)} ${alert.state}: ${alert.message}`).join('\n        ')}`)
    for (const trend of host.forecasts) for (const crossing of trend.crossings) out.push(`forecast: ${trend.series} will cross ${crossing.severity} (${crossing.threshold}) in ${formatDuration(crossing.in_s)}`)
    for (const anomaly of host.anomalies) out.push(`anomaly: ${anomaly.series} is ${Math.abs(anomaly.z).toFixed(1)}σ ${anomaly.z > 0 ? 'above' : 'below'} normal`)
    if (host.topCpu.length > 0) out.push(`top cpu: ${host.topCpu.slice(0, 5).map((row) => `${row.name} ${row.cpu_percent ?? '?'}%`).join(', ')}`)
    if (host.failedServices.length > 0) out.push(`failed services: ${host.failedServices.join(', ')}`)
  }
  return out.join('\n')
}
