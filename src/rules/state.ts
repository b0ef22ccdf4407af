import type {AlertEvent} from '../alert/notification'
import {SEVERITY_RANK} from '../alert/notification'
import type {Severity} from '../config/schema'
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
  /** Escalation levels (indexes) already sent. */
  escalated: number[]
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

/**
 * Moves one alert through ok → pending → firing(severity) → resolved.
 * `observation` undefined means the series is no longer reported: a pending
 * alert is cancelled and a firing one resolves. Pure; `now` in ms.
 */
export function advance(host: string, previous: AlertState | undefined, observation: Observation | undefined, now: number): Advanced {
  const current = previous?.severity
  let severity: Severity | undefined
  let threshold: number | null = null
  if (observation?.levels) {
    const level = severityWithHysteresis(observation.value, observation.levels, observation.hysteresis ?? 0, current)
    severity = level?.severity
    threshold = level?.threshold ?? null
  } else {
    severity = observation?.severity ?? undefined
  }
  const message = observation ? (threshold === null ? observation.summary : `${observation.summary} (≥ ${threshold})`) : `${previous?.series ?? ''} no longer reported`
  const base = previous ?? (observation ? {key: observation.key, rule: observation.rule, series: observation.series, labels: observation.labels} : undefined)
  if (!base) return {next: undefined, events: []}
  const event = (kind: AlertEvent['kind'], eventSeverity: Severity, extra: Partial<AlertEvent> = {}): AlertEvent => ({
    host, key: base.key, rule: base.rule, series: base.series, labels: base.labels, kind, severity: eventSeverity,
    value: observation?.value ?? null, threshold, since: previous?.since ?? now, at: now, message, ...extra,
  })

  if (!severity) {
    if (!previous) return {next: undefined, events: []}
    const kind = previous.state === 'firing' ? 'resolved' : 'cancelled'
    return {next: undefined, events: [event(kind, previous.severity, {previous: previous.severity, threshold: previous.threshold})]}
  }

  const updated = {value: observation?.value ?? null, threshold, message, updatedAt: now}
  if (!previous) {
    const state: AlertState = {...base, state: 'pending', severity, since: now, escalated: [], ...updated}
    if (observation && observation.forS > 0) return {next: state, events: [event('pending', severity, {since: now})]}
    return {next: {...state, state: 'firing', firingSince: now}, events: [event('firing', severity, {since: now})]}
  }
  if (previous.state === 'pending') {
    const due = now - previous.since >= (observation?.forS ?? 0) * 1000
    if (!due) return {next: {...previous, severity, ...updated}, events: []}
    return {next: {...previous, state: 'firing', severity, firingSince: now, ...updated}, events: [event('firing', severity)]}
  }
  const next: AlertState = {...previous, severity, ...updated}
  if (severity === previous.severity) return {next, events: []}
  // A rise restarts escalation bookkeeping for nothing: levels already sent stay sent.
  return {next, events: [event('severity', severity, {previous: previous.severity})]}
}
