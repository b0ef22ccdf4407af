import {parseSeriesName} from '../collect/series'
import type {Config} from '../config/schema'
import {thresholdsOf} from '../rules/rules'
import {resourceOf} from '../rules/resources'
import type {AlertJson} from './views'

export const NAGIOS = {ok: 0, warning: 1, critical: 2, unknown: 3} as const

/**
 * A perfdata label as the monitoring-plugins guidelines allow: no `=` and no
 * quotes inside. The series name with dots as underscores, then each label
 * value: `disk.used_percent{mount="/"}` → `disk_used_percent_/`. Quoted when
 * it has a space. Pure.
 */
export function perfLabel(series: string): string {
  const {metric, labels} = parseSeriesName(series)
  const text = [metric.replaceAll('.', '_'), ...Object.values(labels)].join('_').replace(/[='"]/g, '_')
  return /\s/.test(text) ? `'${text}'` : text
}

/**
 * One status line in the monitoring-plugins format, with perfdata for every
 * series that has thresholds (warn = warning, crit = error levels). Exit:
 * 0 OK, 1 WARNING, 2 CRITICAL (error or critical alerts), 3 UNKNOWN (no fresh
 * sample). Pure.
 */
export function nagiosStatus(alerts: AlertJson[], series: Record<string, number> | undefined, fresh: boolean, config: Config): {code: number; line: string} {
  const perfdata = Object.entries(series ?? {})
    .filter(([name]) => resourceOf(name))
    .map(([name, value]) => {
      const levels = thresholdsOf(name, config)?.levels
      return `${perfLabel(name)}=${Math.round(value * 100) / 100}%;${levels?.[0]?.threshold ?? ''};${levels?.[1]?.threshold ?? ''};0;100`
    })
    .join(' ')
  if (!fresh) return {code: NAGIOS.unknown, line: 'MONITOR UNKNOWN - no recent sample: is collect running?'}
  const firing = alerts.filter((alert) => alert.state === 'firing')
  const critical = firing.filter((alert) => alert.severity === 'error' || alert.severity === 'critical')
  const warning = firing.filter((alert) => alert.severity === 'warning')
  const code = critical.length > 0 ? NAGIOS.critical : warning.length > 0 ? NAGIOS.warning : NAGIOS.ok
  const word = ['OK', 'WARNING', 'CRITICAL'][code] as string
  const listed = [...critical, ...warning].map((alert) => `${alert.severity}: ${alert.message}`)
  const info = firing.length - listed.length
  const pending = alerts.filter((alert) => alert.state === 'pending')
  // Pending alerts do not change the state (they have not held for `for` yet), but the line names them.
  const others = [
    ...(info > 0 ? [`${info} informational alert(s)`] : []),
    ...(pending.length > 0 ? [`${pending.length} pending (${pending.map((alert) => `${alert.severity}: ${alert.message}`).join('; ')})`] : []),
  ]
  const text = [...listed, ...others].join('; ') || 'no alerts'
  return {code, line: `MONITOR ${word} - ${text}${perfdata ? ` | ${perfdata}` : ''}`}
}
