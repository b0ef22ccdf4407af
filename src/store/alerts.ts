import type {ChainableCommander, Redis} from 'ioredis'

import type {AlertEvent} from '../alert/notification'
import type {Silence} from '../alert/pipeline/silence'
import type {Logger} from '../cli/log'
import {type Severity, SEVERITIES} from '../config/schema'
import type {AlertState} from '../rules/state'
import {FLEET, type Keys} from './keys'

/**
 * The alert records: states (`…:alerts`, alert key → JSON), the alert log
 * (`…:alerts:log`, one `event` field per entry) and what each audience was
 * told (`…:alerts:sent`, `<audience>|<alert key>` → JSON). The one place that
 * parses them: a malformed record is skipped and reported through `onProblem`.
 */

const objectOf = (json: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(json)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const SEVERITY_NAMES = new Set<string>(SEVERITIES)
const isLabels = (value: unknown): boolean => value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))

/** Whether a parsed record has what every alert record names: key, rule, series, severity, labels. */
const isAboutAnAlert = (record: Record<string, unknown>): boolean =>
  typeof record.key === 'string' && typeof record.rule === 'string' && typeof record.series === 'string' && SEVERITY_NAMES.has(record.severity as string) && isLabels(record.labels)

/** One stored alert state, or undefined when it is not one. */
export function parseState(json: string): AlertState | undefined {
  const state = objectOf(json)
  if (!state || !isAboutAnAlert(state) || (state.state !== 'pending' && state.state !== 'firing') || typeof state.since !== 'number') return undefined
  return {...state, labels: state.labels ?? {}, message: String(state.message ?? '')} as unknown as AlertState
}

export function parseStates(raw: Record<string, string>, onProblem: (field: string) => void = () => {}): Map<string, AlertState> {
  const states = new Map<string, AlertState>()
  for (const [field, json] of Object.entries(raw)) {
    const state = parseState(json)
    if (state) states.set(field, state)
    else onProblem(field)
  }
  return states
}

/** One alert-log entry ([id, [field, value, …]]) as an event with its id, or undefined. */
export function parseEvent([id, fields]: [string, string[]]): AlertEvent | undefined {
  const event = objectOf(fields[fields.indexOf('event') + 1] ?? '')
  if (!event || !isAboutAnAlert(event) || typeof event.kind !== 'string' || typeof event.at !== 'number' || typeof event.since !== 'number') return undefined
  return {...event, labels: event.labels ?? {}, message: String(event.message ?? ''), id} as unknown as AlertEvent
}

/** The entries of an alert log (`key`) as events, oldest first; an entry that is not one is skipped with a warning. */
export function parseEvents(entries: [string, string[]][], key: string, log?: Logger): AlertEvent[] {
  return entries.flatMap((entry) => {
    const event = parseEvent(entry)
    if (!event) log?.warn(`skipped entry ${entry[0]} of ${key}: not a valid event`)
    return event ? [event] : []
  })
}

/** The events of these hosts' logs since `sinceMs`, oldest first. */
export async function readHistory(redis: Redis, keys: Keys, hosts: string[], sinceMs: number): Promise<AlertEvent[]> {
  const replies = await Promise.all(hosts.map((host) => redis.xrange(keys.alertLog(host), String(sinceMs), '+') as Promise<[string, string[]][]>))
  return replies.flat().flatMap((entry) => parseEvent(entry) ?? []).sort((a, b) => a.at - b.at)
}

/** Appends events to a host's log. Server-assigned ids: an event carries its own time, and a clock that went back never refuses it. */
export function appendEvents(multi: ChainableCommander, keys: Keys, host: string, events: readonly AlertEvent[]): void {
  for (const event of events) multi.xadd(keys.alertLog(host), '*', 'event', JSON.stringify(event))
}

/** Writes the states that changed and deletes those that are gone, with their acknowledgements. */
export function writeStates(multi: ChainableCommander, keys: Keys, host: string, before: Map<string, AlertState>, after: Map<string, AlertState>): void {
  const gone = [...before.keys()].filter((key) => !after.has(key))
  if (gone.length > 0) multi.hdel(keys.alerts(host), ...gone).hdel(keys.alertAcks(host), ...gone)
  for (const [key, state] of after) if (state !== before.get(key)) multi.hset(keys.alerts(host), key, JSON.stringify(omitAck(state)))
}

const omitAck = ({acknowledged: _ack, ...state}: AlertState): AlertState => state

/**
 * An acknowledgement (`…:alerts:acks`, alert key → JSON) is a record of its
 * own, so that `check`, which rewrites the states every run, can never lose
 * one written meanwhile. It holds for the episode it was given in.
 */
export interface Ack {
  episode: number
  at: number
  by: string
  comment: string
}

export const ackRecord = (state: AlertState, at: number, by: string, comment: string): string => JSON.stringify({episode: state.since, at, by, comment} satisfies Ack)

/** The states with the acknowledgements of their own episode applied. */
export function withAcks(states: Map<string, AlertState>, raw: Record<string, string>): Map<string, AlertState> {
  for (const [key, json] of Object.entries(raw)) {
    const ack = objectOf(json)
    const state = states.get(key)
    if (!state || !ack || ack.episode !== state.since) continue
    states.set(key, {...state, acknowledged: {at: Number(ack.at), by: String(ack.by ?? ''), comment: String(ack.comment ?? '')}})
  }
  return states
}

/**
 * What one audience (a channel, or an escalation level's destination) was
 * told about one alert: it believes the alert fires. The record is deleted
 * when the audience hears the resolution.
 */
export interface Told {
  /** The firing episode, by the `since` of its alert state. */
  episode: number
  severity: Severity
  /** When this audience first heard of the episode, and when it last got a firing message about it, ms. */
  firstAt: number
  notifiedAt: number
  rule: string
  series: string
  labels: Record<string, string>
  /** An escalation audience's email recipients, so that the resolution reaches the same people. */
  recipients?: string[]
}

export const toldField = (audience: string, key: string): string => `${audience}|${key}`
/** The audience and the alert key of a told field (an alert key may itself contain "|"; an audience does not). */
export function parseToldField(field: string): {audience: string; key: string} {
  const bar = field.indexOf('|')
  return {audience: field.slice(0, bar), key: field.slice(bar + 1)}
}

/** What each audience was told, by `<audience>|<alert key>`. */
export function parseTold(raw: Record<string, string>): Map<string, Told> {
  const told = new Map<string, Told>()
  for (const [field, json] of Object.entries(raw)) {
    const record = objectOf(json)
    // Records of the earlier layout ({status, firingAt}) carry no episode: read as "told nothing".
    const valid = record && typeof record.episode === 'number' && SEVERITY_NAMES.has(record.severity as string) && typeof record.series === 'string' && isLabels(record.labels)
    if (valid) told.set(field, {...record, labels: record.labels ?? {}} as unknown as Told)
  }
  return told
}

/** Applies told-record changes: a record is written, null deletes it (the audience heard the resolution). */
export function writeTold(multi: ChainableCommander, keys: Keys, host: string, changes: Map<string, Told | null>): void {
  for (const [field, record] of changes) {
    if (record) multi.hset(keys.alertSent(host), field, JSON.stringify(record))
    else multi.hdel(keys.alertSent(host), field)
  }
}

/** The silences (`<prefix>:silences`, id → JSON), expired ones included. */
export function parseSilences(raw: Record<string, string>): Silence[] {
  return Object.values(raw).flatMap((json) => {
    const silence = objectOf(json)
    return silence && typeof silence.match === 'string' && typeof silence.until === 'number' ? [silence as unknown as Silence] : []
  })
}

/**
 * The active alerts of these hosts, acknowledgements applied, with the
 * fleet's alerts (host_silent) about them, which live in the FLEET scope.
 */
export async function readActiveAlerts(redis: Redis, keys: Keys, hosts: readonly string[]): Promise<{host: string; state: AlertState}[]> {
  const scopes = [...hosts, FLEET]
  const replies = await Promise.all(scopes.map((scope) => Promise.all([redis.hgetall(keys.alerts(scope)), redis.hgetall(keys.alertAcks(scope))])))
  return scopes.flatMap((scope, index) => {
    const [raw = {}, acks = {}] = replies[index] ?? []
    return [...withAcks(parseStates(raw), acks).values()].flatMap((state) => {
      const host = scope === FLEET ? state.labels.host ?? scope : scope
      return hosts.includes(host) ? [{host, state}] : []
    })
  })
}
