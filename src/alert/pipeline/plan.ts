import {topProcesses as rankedProcesses} from '../../collect/collectors/processes'
import type {Config} from '../../config/schema'
import {parseToldField, type Told} from '../../store/alerts'
import {FLEET} from '../../store/keys'
import {type AlertEvent, maxSeverity, type Notification, type ProcessRow} from '../notification'
import {notificationTitle} from '../render'
import {cap} from './cap'
import {escalate} from './escalate'
import {group} from './group'
import {route} from './route'
import {suppress} from './silence'
import {throttle} from './throttle'
import type {ActiveChannel, Batch, Draft, PlanContext, Snapshot, Stage, Subject} from './types'

/** The alert path, in the order of DESIGN.md. Each stage takes the batch and returns the one that goes on. */
export const STAGES: readonly Stage[] = [suppress, group, route, throttle, cap, escalate]

export interface Plan {
  /** Notifications to queue, one per audience. */
  notifications: Notification[]
  /** Told-record changes (null deletes), applied with the notifications. */
  told: Map<string, Told | null>
  /** Changes to the channels' held-back lists. */
  held: Map<string, {add: string[]; clear: string[]}>
  /** The alert-log entry the next run starts after. */
  cursor: string | null
  suppressed: {key: string; reason: string}[]
  heldNow: {channel: string; keys: string[]}[]
  /** Events that wait for their grouping window. */
  waiting: number
}

/**
 * What the alert stage must do now, from a snapshot of the alert records.
 * Pure: no I/O, the clock and the id maker passed in. Every alert key the
 * snapshot knows (from its events, its state or a told record) is a subject.
 */
export function plan(snapshot: Snapshot, config: Config, channels: readonly ActiveChannel[], now: number, newId: () => string): Plan {
  const context: PlanContext = {snapshot, config, channels, now, newId}
  const keys = new Set([...snapshot.events.map((event) => event.key), ...snapshot.states.keys(), ...[...snapshot.told.keys()].map((field) => parseToldField(field).key)])
  // In key order: a message lists its alerts the same way whatever order Redis returned them in.
  const subjects: Subject[] = [...keys].sort().map((key) => ({key, state: snapshot.states.get(key), events: [], waiting: false}))
  const start: Batch = {subjects, suppressed: [], withheld: [], drafts: [], held: new Map(), heldNow: [], waiting: []}
  const batch = STAGES.reduce((current, stage) => stage(current, context), start)
  return {
    notifications: batch.drafts.map((draft) => compose(draft, context)),
    told: new Map(batch.drafts.flatMap((draft) => [...draft.told])),
    held: batch.held,
    cursor: cursorAfter(snapshot, batch.waiting),
    suppressed: batch.suppressed,
    heldNow: batch.heldNow,
    waiting: batch.waiting.length,
  }
}

/** The cursor moves past everything read, up to the first event still waiting for its group to close. */
function cursorAfter(snapshot: Snapshot, waiting: readonly AlertEvent[]): string | null {
  const firstWaiting = waiting[0]?.id
  const stopAt = firstWaiting === undefined ? snapshot.events.length : snapshot.events.findIndex((event) => event.id === firstWaiting)
  return (stopAt > 0 ? snapshot.events[stopAt - 1]?.id : undefined) ?? snapshot.cursor
}

/** A draft as the notification that travels through the outbox. */
function compose(draft: Draft, {snapshot, now, newId}: PlanContext): Notification {
  const {events} = draft
  // A fleet notification is about the hosts in it (host_silent): it is titled after them.
  const host = snapshot.host === FLEET ? [...new Set(events.map((event) => event.host))].join(', ') || 'fleet' : snapshot.host
  const status = events.length > 0 && events.every((event) => event.kind === 'resolved') ? 'resolved' : 'firing'
  const severity = events.length === 0 ? 'warning' : maxSeverity(events.map((event) => (event.kind === 'resolved' ? event.previous ?? event.severity : event.severity)))
  const notification: Notification = {
    id: newId(), channel: draft.channel, host, kind: draft.kind, status, severity, title: '', events,
    heldBack: draft.heldBack ?? {count: 0, keys: []}, createdAt: now, attempts: 0, nextAttemptAt: now,
    ...(draft.recipients ? {recipients: draft.recipients} : {}),
    ...(draft.escalationLevel ? {escalationLevel: draft.escalationLevel} : {}),
  }
  const processes = topProcesses(events, snapshot.extendedDoc)
  if (processes) notification.topProcesses = processes
  return {...notification, title: notificationTitle(notification)}
}

/** For a cpu or memory alert: what was using it, from the newest extended sample. */
function topProcesses(events: AlertEvent[], doc: Record<string, unknown> | undefined): Notification['topProcesses'] {
  const rule = events.find((event) => event.kind !== 'resolved' && (event.rule === 'cpu' || event.rule === 'memory'))?.rule as 'cpu' | 'memory' | undefined
  if (!rule || !doc) return undefined
  const rows = rankedProcesses(doc, rule)
  if (rows.length === 0) return undefined
  return {by: rule, rows: rows.slice(0, 5).map(({pid, name, cmdline, cpu_percent, memory_percent}): ProcessRow => ({pid, name, cmdline, cpu_percent, memory_percent}))}
}
