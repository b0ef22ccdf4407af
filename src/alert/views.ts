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
