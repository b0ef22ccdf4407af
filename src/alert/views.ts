import {formatValue} from '../cli/format'
import {makeTable, paint} from '../cli/table'
import type {AlertState} from '../rules/state'

/** An alert as `check --json` and `alerts list --json` print it. */
export interface AlertJson {
  key: string
  host: string
  rule: string
  series: string
  labels: Record<string, string>
  severity: string
  value: number | null
  threshold: number | null
  since: string
  state: 'pending' | 'firing'
  acknowledged: boolean
  /** Who acknowledged it, when and why, or null. */
  ack: {at: string; by: string; comment: string} | null
  message: string
}

export const alertJson = (host: string, state: AlertState): AlertJson => ({
  key: state.key, host, rule: state.rule, series: state.series, labels: state.labels, severity: state.severity,
  value: state.value, threshold: state.threshold, since: new Date(state.since).toISOString(), state: state.state,
  acknowledged: Boolean(state.acknowledged),
  ack: state.acknowledged ? {at: new Date(state.acknowledged.at).toISOString(), by: state.acknowledged.by, comment: state.acknowledged.comment} : null,
  message: state.message,
})

const SEVERITY_ORDER: Record<string, number> = {critical: 0, error: 1, warning: 2, info: 3}
export const byUrgency = (a: AlertJson, b: AlertJson): number =>
  (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) || (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || a.key.localeCompare(b.key)

/** Alerts as the table `check` and `alerts list` print; `check` adds the threshold column. */
export function alertTable(alerts: readonly AlertJson[], {threshold}: {threshold: boolean}): string {
  const table = makeTable(['severity', 'state', 'alert', 'value', ...(threshold ? ['threshold'] : []), 'since', 'ack'])
  for (const alert of alerts) {
    table.push([
      paint(alert.severity), alert.state, alert.key, alert.value === null ? '-' : formatValue(alert.series, alert.value), ...(threshold ? [alert.threshold ?? '-'] : []),
      alert.since.slice(0, 19).replace('T', ' '), alert.ack ? `${alert.ack.by}: ${alert.ack.comment || '(no comment)'}` : '',
    ])
  }
  return table.toString()
}
