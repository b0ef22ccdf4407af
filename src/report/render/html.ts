import {escapeHtml as e} from '../../alert/render'
import {formatDuration, formatValue} from '../../cli/format'
import type {CoreSeries, HostReport, ReportData, Status} from '../model'

const COLOUR: Record<Status | 'line', string> = {ok: '#2e7d32', warning: '#b26a00', error: '#d84315', critical: '#b71c1c', unknown: '#757575', line: '#1565c0'}
const num = (series: string, value: number | null) => (value === null ? '–' : formatValue(series, value))
const badge = (status: Status) => `<span class="badge" style="background:${COLOUR[status]}">${status}</span>`
/** An alert's severity: the status colours, and blue for info (analysis findings). */
const severityBadge = (severity: string) => `<span class="badge" style="background:${COLOUR[severity as Status] ?? COLOUR.line}">${e(severity)}</span>`
/** Label heights (SVG units) apart, so that the names of close levels (90 and 95) do not overprint. */
const LABEL_SPACING = 10

/** A line chart of one series over the period as inline SVG, with its threshold levels as dashed lines. */
export function svgChart(core: CoreSeries, fromMs: number, toMs: number): string {
  const width = 640
  const height = 140
  const pad = {left: 44, right: 8, top: 8, bottom: 18}
  const levels = core.levels ? ([['warning', core.levels.warning], ['error', core.levels.error], ['critical', core.levels.critical]] as const) : []
  const values = core.points.map(([, value]) => value)
  const isPercent = core.series.split('{')[0]?.endsWith('percent')
  const top = isPercent ? 100 : Math.max(1e-9, ...values, ...levels.map(([, level]) => level)) * 1.1
  const x = (time: number) => pad.left + ((time - fromMs) / Math.max(1, toMs - fromMs)) * (width - pad.left - pad.right)
  const y = (value: number) => pad.top + (1 - Math.min(value, top) / top) * (height - pad.top - pad.bottom)
  const line = core.points.map(([time, value]) => `${x(time).toFixed(1)},${y(value).toFixed(1)}`).join(' ')
  // Levels from the highest down; each label at least LABEL_SPACING below the one above it.
  let labelY = Number.NEGATIVE_INFINITY
  const ordered = [...levels].sort((a, b) => b[1] - a[1])
  const grid = ordered.map(([name, level]) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(level).toFixed(1)}" y2="${y(level).toFixed(1)}" stroke="${COLOUR[name]}" stroke-dasharray="4 3" stroke-width="1"/>`).join('')
  // Drawn after the data line, with a halo, so that the line never hides them.
  const labels = ordered.map(([name, level]) => {
    labelY = Math.max(y(level) - 2, labelY + LABEL_SPACING)
    return `<text x="${width - pad.right - 2}" y="${labelY.toFixed(1)}" text-anchor="end" font-size="9" fill="${COLOUR[name]}" stroke="#fafafa" stroke-width="3" paint-order="stroke">${name} ${level}</text>`
  }).join('')
  // A single sample makes no line: draw it as a dot.
  const dot = core.points.length === 1 ? `<circle cx="${x(core.points[0]![0]).toFixed(1)}" cy="${y(core.points[0]![1]).toFixed(1)}" r="2.5" fill="${COLOUR.line}"/>` : ''
  const label = (value: number) => (isPercent ? `${value}%` : formatValue(core.series, value))
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${e(core.series)}">`
    + `<rect x="${pad.left}" y="${pad.top}" width="${width - pad.left - pad.right}" height="${height - pad.top - pad.bottom}" fill="#fafafa" stroke="#ddd"/>`
    + `<text x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end" font-size="9" fill="#555">${e(label(isPercent ? 100 : Math.round(top)))}</text>`
    + `<text x="${pad.left - 4}" y="${height - pad.bottom}" text-anchor="end" font-size="9" fill="#555">0</text>`
    + `<text x="${pad.left}" y="${height - 4}" font-size="9" fill="#555">${e(new Date(fromMs).toISOString().slice(0, 16).replace('T', ' '))}</text>`
    + `<text x="${width - pad.right}" y="${height - 4}" text-anchor="end" font-size="9" fill="#555">${e(new Date(toMs).toISOString().slice(0, 16).replace('T', ' '))} UTC</text>`
    + grid
    + (line ? `<polyline fill="none" stroke="${COLOUR.line}" stroke-width="1.5" points="${line}"/>${dot}` : `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="11" fill="#999">no data in the period</text>`)
    + labels
    + '</svg>'
}

function hostSection(host: HostReport, data: ReportData): string {
  const fromMs = Date.parse(data.since)
  const toMs = Date.parse(data.generatedAt)
  const facts = host.facts ? `${e(host.facts.os)} · kernel ${e(host.facts.kernel)} · ${e(host.facts.arch)} · ${e(host.facts.cpu_model)} (${host.facts.cpu_count} CPUs) · ${e(formatValue('memory_bytes', host.facts.memory_bytes))}` : 'no host facts yet (they come with the extended tier)'
  const coreRows = host.core.map((core) => `<tr><td><code>${e(core.series)}</code></td><td class="n">${e(num(core.series, core.now))}</td><td>${badge(core.status)}</td><td class="n">${e(num(core.series, core.stats.min))}</td><td class="n">${e(num(core.series, core.stats.avg))}</td><td class="n">${e(num(core.series, core.stats.p95))}</td><td class="n">${e(num(core.series, core.stats.max))}</td></tr>`).join('')
  const charts = host.core.map((core) => `<figure><figcaption><code>${e(core.series)}</code></figcaption>${svgChart(core, fromMs, toMs)}</figure>`).join('')
  const active = host.alertsActive.length === 0 ? '<p>No active alerts.</p>' : `<table><tr><th>severity</th><th>state</th><th>alert</th><th>since</th></tr>${host.alertsActive.map((alert) => `<tr><td>${severityBadge(alert.severity)}</td><td>${e(alert.state)}${alert.acknowledged ? ' (ack)' : ''}</td><td>${e(alert.message)}</td><td>${e(alert.since.slice(0, 16).replace('T', ' '))}</td></tr>`).join('')}</table>`
  const fired = host.alertsFired.length === 0 ? '' : `<h3>Fired in the period (${host.alertsFired.length})</h3><ul>${host.alertsFired.slice(-50).map((event) => `<li>${e(new Date(event.at).toISOString().slice(0, 16).replace('T', ' '))} ${e(event.severity)}: ${e(event.message)}</li>`).join('')}</ul>`
  const findings = [
    ...host.forecasts.flatMap((trend) => trend.crossings.map((crossing) => `${e(trend.series)} will cross ${e(crossing.severity)} (${crossing.threshold}) in ${e(formatDuration(crossing.in_s))}`)),
    ...host.anomalies.map((anomaly) => `${e(anomaly.series)} is ${Math.abs(anomaly.z).toFixed(1)}σ ${anomaly.z > 0 ? 'above' : 'below'} normal (${e(num(anomaly.series, anomaly.value))})`),
    ...host.correlations.slice(0, 10).map((correlation) => `${e(correlation.b)} ${correlation.lag_s === 0 ? 'moves with' : `follows ${e(formatDuration(Math.abs(correlation.lag_s)))} ${correlation.lag_s > 0 ? 'after' : 'before'}`} ${e(correlation.a)}, r = ${correlation.r.toFixed(2)}`),
  ]
  const analysis = host.analyzedAt ? (findings.length > 0 ? `<ul>${findings.map((line) => `<li>${line}</li>`).join('')}</ul>` : '<p>Nothing notable.</p>') : '<p>Not analyzed yet (monitor analyze).</p>'
  const processes = (title: string, rows: HostReport['topCpu']) => rows.length === 0 ? '' : `<h3>${title}</h3><table><tr><th>pid</th><th>name</th><th>cpu %</th><th>mem %</th><th>command</th></tr>${rows.map((row) => `<tr><td class="n">${row.pid}</td><td>${e(row.name)}</td><td class="n">${row.cpu_percent ?? '–'}</td><td class="n">${row.memory_percent ?? '–'}</td><td><code>${e(row.cmdline)}</code></td></tr>`).join('')}</table>`
  const services = host.failedServices.length === 0 ? '' : `<h3>Failed services</h3><ul>${host.failedServices.map((unit) => `<li><code>${e(unit)}</code></li>`).join('')}</ul>`
  const temperatures = host.temperatures.length === 0 ? '' : `<h3>Temperatures</h3><table>${host.temperatures.map((entry) => `<tr><td>${e(entry.chip)}</td><td>${e(entry.sensor)}</td><td class="n">${entry.celsius} °C</td></tr>`).join('')}</table>`
  return `<section id="${e(host.host)}"><h2>${e(host.host)} ${badge(host.status)}</h2><p class="facts">${facts}<br>last seen ${e(host.lastSeen ?? 'never')}</p>`
    + `<h3>Now and over the period</h3><table><tr><th>series</th><th>now</th><th>status</th><th>min</th><th>avg</th><th>p95</th><th>max</th></tr>${coreRows}</table>${charts}`
    + `<h3>Active alerts</h3>${active}${fired}<h3>Analysis</h3>${analysis}${processes('Top processes by CPU', host.topCpu)}${processes('Top processes by memory', host.topMemory)}${services}${temperatures}</section>`
}

/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script,
 * no font, image or style sheet from anywhere. Every value from a host is escaped.
 */
export function renderHtml(data: ReportData): string {
  const fleet = data.hosts.length > 1
    ? `<h2>Fleet</h2><table><tr><th>host</th><th>status</th><th>firing</th><th>last seen</th></tr>${data.hosts.map((host) => `<tr><td><a href="#${e(host.host)}">${e(host.host)}</a></td><td>${badge(host.status)}</td><td class="n">${host.alertsActive.filter((alert) => alert.state === 'firing').length}</td><td>${e(host.lastSeen ?? 'never')}</td></tr>`).join('')}</table>`
    : ''
  const title = data.hosts.length === 1 ? `monitor report: ${data.hosts[0]?.host}` : `monitor report: ${data.hosts.length} hosts`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin-top:1.2rem}
table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.badge{color:#fff;border-radius:.3rem;padding:0 .35rem;font-size:.8rem}
.facts{color:#555;font-size:.9rem}figure{margin:.6rem 0}figcaption{font-size:.85rem;color:#333}code{font-size:.85rem;word-break:break-all}
</style></head><body>
<h1>${e(title)}</h1><p class="facts">from ${e(data.since)} to ${e(data.generatedAt)} (${e(formatDuration(data.sinceS))})</p>
${fleet}${data.hosts.map((host) => hostSection(host, data)).join('\n')}
</body></html>
`
}
