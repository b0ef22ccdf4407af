import {formatDuration, formatValue} from '../../cli/format'
import type {HostReport, ReportData} from '../model'

/**
 * Escapes text for a Markdown table cell: pipes and backslashes, Markdown
 * emphasis and link characters, and `<`/`&` (wikis render inline HTML).
 */
export const mdCell = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/([|*_`[\]#])/g, '\\$1').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ')

const num = (series: string, value: number | null) => (value === null ? '–' : formatValue(series, value))
const table = (head: string[], rows: string[][]): string[] => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)]

function hostSection(host: HostReport): string[] {
  const lines = [`## ${mdCell(host.host)} — ${host.status}`, '']
  lines.push(host.facts ? `${mdCell(host.facts.os)} · kernel ${mdCell(host.facts.kernel)} · ${mdCell(host.facts.cpu_model)} (${host.facts.cpu_count} CPUs) · last seen ${host.lastSeen ?? 'never'}` : `last seen ${host.lastSeen ?? 'never'}`, '')
  lines.push(...table(['series', 'now', 'status', 'min', 'avg', 'p95', 'max'], host.core.map((core) => [mdCell(core.series), num(core.series, core.now), core.status, num(core.series, core.stats.min), num(core.series, core.stats.avg), num(core.series, core.stats.p95), num(core.series, core.stats.max)])), '')
  lines.push('### Alerts', '')
  if (host.alertsActive.length === 0) lines.push('No active alerts.', '')
  else lines.push(...table(['severity', 'state', 'alert', 'since'], host.alertsActive.map((alert) => [alert.severity, alert.state + (alert.acknowledged ? ' (ack)' : ''), mdCell(alert.message), alert.since.slice(0, 16).replace('T', ' ')])), '')
  if (host.alertsFired.length > 0) lines.push(`${host.alertsFired.length} alert transition(s) fired in the period.`, '')
  const findings = [
    ...host.forecasts.flatMap((trend) => trend.crossings.map((crossing) => `${mdCell(trend.series)} will cross ${crossing.severity} (${crossing.threshold}) in ${formatDuration(crossing.in_s)}`)),
    ...host.anomalies.map((anomaly) => `${mdCell(anomaly.series)} is ${Math.abs(anomaly.z).toFixed(1)}σ ${anomaly.z > 0 ? 'above' : 'below'} normal`),
    ...host.correlations.slice(0, 10).map((correlation) => `${mdCell(correlation.b)} follows ${mdCell(correlation.a)} by ${correlation.lag_s} s, r = ${correlation.r.toFixed(2)}`),
  ]
  lines.push('### Analysis', '', ...(findings.length > 0 ? findings.map((finding) => `- ${finding}`) : [host.analyzedAt ? 'Nothing notable.' : 'Not analyzed yet.']), '')
  if (host.topCpu.length > 0) lines.push('### Top processes by CPU', '', ...table(['pid', 'name', 'cpu %', 'mem %', 'command'], host.topCpu.map((row) => [String(row.pid), mdCell(row.name), String(row.cpu_percent ?? '–'), String(row.memory_percent ?? '–'), mdCell(row.cmdline)])), '')
  if (host.topMemory.length > 0) lines.push('### Top processes by memory', '', ...table(['pid', 'name', 'cpu %', 'mem %', 'command'], host.topMemory.map((row) => [String(row.pid), mdCell(row.name), String(row.cpu_percent ?? '–'), String(row.memory_percent ?? '–'), mdCell(row.cmdline)])), '')
  if (host.failedServices.length > 0) lines.push('### Failed services', '', ...host.failedServices.map((unit) => `- ${mdCell(unit)}`), '')
  if (host.temperatures.length > 0) lines.push('### Temperatures', '', ...table(['chip', 'sensor', '°C'], host.temperatures.map((entry) => [mdCell(entry.chip), mdCell(entry.sensor), String(entry.celsius)])), '')
  return lines
}

/** The report as Markdown tables that paste into a wiki or an issue. Pure. */
export function renderMarkdown(data: ReportData): string {
  const lines = [`# monitor report`, '', `From ${data.since} to ${data.generatedAt} (${formatDuration(data.sinceS)}).`, '']
  if (data.hosts.length > 1) lines.push('## Fleet', '', ...table(['host', 'status', 'firing', 'last seen'], data.hosts.map((host) => [mdCell(host.host), host.status, String(host.alertsActive.filter((alert) => alert.state === 'firing').length), host.lastSeen ?? 'never'])), '')
  for (const host of data.hosts) lines.push(...hostSection(host))
  return lines.join('\n')
}
