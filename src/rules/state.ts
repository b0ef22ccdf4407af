import type {AlertEvent} from '../alert/notification'
import {SEVERITY_RANK} from '../alert/notification'
import {formatDuration} from '../cli/format'
import type {Severity} from '../config/schema'
import {subjectOfKey} from './alert-key'
import type {Level} from './resources'

/** What a rule saw for one alert key in this check. */
export interface Observation {
  key: string
  rule: string
  series: string
  labels: Record<string, string>
  value: number | null
  /** Threshold levels, lowest first: the state machine picks the severity with hysteresis. */
  levels?: Level[]
  hysteresis?: number
  /** For rules without levels (service, forecast, anomaly): the severity now, or null when all is well. */
  severity?: Severity | null
  /** With severity null: the condition is fading, not gone (an anomaly settling), so an alert already firing holds. */
  holds?: boolean
  /** Seconds the condition must hold before the alert fires. */
  forS: number
  /** What the alert is about, without the threshold: `disk.used_percent{mount="/"} = 96.2 %`. */
  summary: string
}

/** One alert's state in `<prefix>:{host}:alerts`. An alert that is ok has no state. */
export interface AlertState {
  key: string
  rule: string
  series: string
  labels: Record<string, string>
  state: 'pending' | 'firing'
  severity: Severity
  value: number | null
  threshold: number | null
  message: string
  /** When the condition began (pending or firing), ms. */
  since: number
  firingSince?: number
  updatedAt: number
  acknowledged?: {at: number; by: string; comment: string}
  /** Since when no value came for it (it is kept as it is until rules.absent_after). */
  absentSince?: number
}

/**
 * The severity a value has now. A level is reached at its threshold and,
 * once reached, holds until the value falls `hysteresis` points below it:
 * a value hovering at a threshold does not flap. Null when no level holds.
 */
export function severityWithHysteresis(value: number | null, levels: Level[], hysteresis: number, current: Severity | undefined): Level | undefined {
  if (value === null) return undefined
  const held = current === undefined ? -1 : SEVERITY_RANK[current]
  let found: Level | undefined
  for (const level of levels) {
    const reached = value >= level.threshold
    const holding = SEVERITY_RANK[level.severity] <= held && value >= level.threshold - hysteresis
    if (reached || holding) found = level
  }
  return found
}

export interface Advanced {
  next: AlertState | undefined
  events: AlertEvent[]
}

/** Why an alert ends without a value: what its message says. */
export const clearedMessage = (previous: AlertState): string => `${previous.message.replace(/ \(.*\)$/, '')} — cleared`

/**
 * The severity and message an observation gives, with honest wording under
 * hysteresis. A firing alert holds its level until the value falls
 * `hysteresis` below it; an alert not yet firing uses the raw thresholds, so
 * `for` counts from when the value last reached one and a dip restarts it.
 */
function judge(observation: Observation, previous: AlertState | undefined): {severity?: Severity; threshold: number | null; message: string} {
  if (!observation.levels) {
    if (!observation.severity && observation.holds && previous?.state === 'firing') return {severity: previous.severity, threshold: previous.threshold, message: previous.message}
    return {severity: observation.severity ?? undefined, threshold: null, message: observation.summary}
  }
  const hysteresis = previous?.state === 'firing' ? observation.hysteresis ?? 0 : 0
  const level = severityWithHysteresis(observation.value, observation.levels, hysteresis, previous?.state === 'firing' ? previous.severity : undefined)
  if (!level) return {threshold: null, message: observation.summary}
  const reached = observation.value !== null && observation.value >= level.threshold
  const held = `${observation.summary} (${level.severity} level ${level.threshold} held until below ${level.threshold - hysteresis})`
  return {severity: level.severity, threshold: level.threshold, message: reached ? `${observation.summary} (≥ ${level.threshold})` : held}
}

/**
 * Moves one alert through ok → pending → firing(severity) → resolved on a
 * new observation. Without an observation use `clear` (the rule judged the
 * alert's subject fine) or `keepAbsent` (no data). Pure; `now` in ms.
 */
export function advance(host: string, previous: AlertState | undefined, observation: Observation, now: number): Advanced {
  const {severity, threshold, message} = judge(observation, previous)
  const base = previous ?? {key: observation.key, rule: observation.rule, series: observation.series, labels: observation.labels}
  const event = (kind: AlertEvent['kind'], eventSeverity: Severity, extra: Partial<AlertEvent> = {}): AlertEvent => ({
    host, key: base.key, rule: base.rule, series: base.series, labels: base.labels, kind, severity: eventSeverity,
    value: observation.value, threshold, since: previous?.since ?? now, at: now, message, ...extra,
  })
  if (!severity) {
    if (!previous) return {next: undefined, events: []}
    const kind = previous.state === 'firing' ? 'resolved' : 'cancelled'
    return {next: undefined, events: [event(kind, previous.severity, {previous: previous.severity, threshold: previous.threshold})]}
  }
  const updated = {value: observation.value, threshold, message, updatedAt: now}
  if (!previous) {
    const state: AlertState = {...base, state: 'pending', severity, since: now, ...updated}
    if (observation.forS > 0) return {next: state, events: [event('pending', severity, {since: now})]}
    return {next: {...state, state: 'firing', firingSince: now}, events: [event('firing', severity, {since: now})]}
  }
  const {absentSince: _absent, ...present} = previous
  if (previous.state === 'pending') {
    if (now - previous.since < observation.forS * 1000) return {next: {...present, severity, ...updated}, events: []}
    return {next: {...present, state: 'firing', severity, firingSince: now, ...updated}, events: [event('firing', severity)]}
  }
  const next: AlertState = {...present, severity, ...updated}
  if (severity === previous.severity) return {next, events: []}
  return {next, events: [event('severity', severity, {previous: previous.severity})]}
}

/** Ends an alert whose rule judged its subject and found nothing (a unit no longer failed, a forecast gone), or that has been absent too long. */
export function clear(host: string, previous: AlertState, now: number, message = clearedMessage(previous)): Advanced {
  const kind = previous.state === 'firing' ? 'resolved' : 'cancelled'
  const {key, rule, series, labels, severity, threshold, since} = previous
  return {next: undefined, events: [{host, key, rule, series, labels, kind, severity, previous: severity, value: null, threshold, since, at: now, message}]}
}

/**
 * No value for an alert this time (no rate after a reboot, a failed probe, a
 * stale sample): it stays as it is. After `absentAfterMs` without a value it
 * ends, with a message that says so.
 */
export function keepAbsent(host: string, previous: AlertState, now: number, absentAfterMs: number): Advanced {
  const absentSince = previous.absentSince ?? now
  if (now - absentSince < absentAfterMs) return {next: previous.absentSince === undefined ? {...previous, absentSince} : previous, events: []}
  return clear(host, previous, now, `${subjectOfKey(previous.key)} not reported for ${formatDuration(Math.round((now - absentSince) / 1000))}`)
}
