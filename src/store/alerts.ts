import type {ChainableCommander, Redis} from 'ioredis'

import type {AlertEvent} from '../alert/notification'
import type {Silence} from '../alert/pipeline/silence'
import type {Logger} from '../cli/log'
import type {Severity} from '../config/schema'
import type {AlertState} from '../rules/state'
import type {Keys} from './keys'
import {orEmpty} from './replies'

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

/** One stored alert state, or undefined when it is not one. */
export function parseState(json: string): AlertState | undefined {
  const state = objectOf(json)
  if (!state || typeof state.key !== 'string' || (state.state !== 'pending' && state.state !== 'firing')) return undefined
  if (typeof state.since !== 'number' || typeof state.severity !== 'string') return undefined
  return {labels: {}, ...state} as unknown as AlertState
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
  if (!event || typeof event.key !== 'string' || typeof event.kind !== 'string' || typeof event.at !== 'number') return undefined
  return {labels: {}, ...event, id} as unknown as AlertEvent
}

/** The events of one alert log after `afterId` (exclusive; null = from the start), oldest first. */
export async function readEvents(redis: Redis, keys: Keys, host: string, afterId: string | null, log?: Logger): Promise<AlertEvent[]> {
  const key = keys.alertLog(host)
  const entries = await orEmpty(redis.xrange(key, afterId ? `(${afterId}` : '-', '+') as Promise<[string, string[]][]>, key, log, [])
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

/** Writes the states that changed and deletes those that are gone. */
export function writeStates(multi: ChainableCommander, keys: Keys, host: string, before: Map<string, AlertState>, after: Map<string, AlertState>): void {
  for (const key of before.keys()) if (!after.has(key)) multi.hdel(keys.alerts(host), key)
  for (const [key, state] of after) if (state !== before.get(key)) multi.hset(keys.alerts(host), key, JSON.stringify(state))
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
}

export const toldField = (audience: string, key: string): string => `${audience}|${key}`

/** What each audience was told, by `<audience>|<alert key>`. */
export function parseTold(raw: Record<string, string>): Map<string, Told> {
  const told = new Map<string, Told>()
  for (const [field, json] of Object.entries(raw)) {
    const record = objectOf(json)
    // Records of the earlier layout ({status, firingAt}) carry no episode: read as "told nothing".
    if (record && typeof record.episode === 'number' && typeof record.severity === 'string') told.set(field, record as unknown as Told)
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
