import type {Config, Weekday} from '../../config/schema'
import {hostOfKey} from '../../rules/alert-key'
import {SEVERITY_RANK} from '../notification'
import type {Batch, PlanContext, Subject} from './types'

export interface Silence {
  id: string
  /** A glob on alert keys (`web1/disk/*`, `*nginx*`): `*` any run of characters, `?` one. */
  match: string
  until: number
  reason: string
  createdBy: string
  createdAt: number
}

/** A glob as an anchored regular expression; every other character is literal. */
export function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`)
}

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))

/**
 * Whether `now` (local time) falls in a recurring window. A window whose end
 * is before its start runs past midnight and belongs to the day it starts on.
 */
export function inWindow(window: Config['alerts']['maintenance'][number], now: Date): boolean {
  const minute = now.getHours() * 60 + now.getMinutes()
  const from = minutesOf(window.from)
  const to = minutesOf(window.to)
  const today = WEEKDAYS[now.getDay()] as Weekday
  const yesterday = WEEKDAYS[(now.getDay() + 6) % 7] as Weekday
  if (from <= to) return window.days.includes(today) && minute >= from && minute < to
  return (window.days.includes(today) && minute >= from) || (window.days.includes(yesterday) && minute < to)
}

/**
 * Why an event must not be notified now, or undefined: an active silence
 * whose match covers its key, or a maintenance window. Silenced alerts keep
 * their state and their log entries; only the message is withheld. Pure.
 */
export function suppression(event: {key: string}, silences: readonly Silence[], maintenance: Config['alerts']['maintenance'], now: number): string | undefined {
  const silence = silences.find((candidate) => candidate.until > now && globToRegExp(candidate.match).test(event.key))
  if (silence) return `silence ${silence.id} (${silence.reason})`
  const window = maintenance.find((candidate) => globToRegExp(candidate.match).test(event.key) && inWindow(candidate, new Date(now)))
  if (window) return `maintenance window ${window.match} ${window.from}–${window.to}`
  return undefined
}

/**
 * Why an alert is inhibited, or undefined: the host is silent (its host_silent
 * alert fires, so its other alerts say nothing new), or another firing alert
 * of the same series has a higher severity (the disk at its critical
 * threshold makes the forecast that it will fill redundant). Pure.
 */
export function inhibition(subject: Subject, context: PlanContext): string | undefined {
  const {states, silentHosts} = context.snapshot
  const rule = subject.state?.rule ?? subject.events[0]?.rule
  const host = hostOfKey(subject.key)
  if (rule !== 'host_silent' && silentHosts.has(host)) return `inhibited: ${host} is silent`
  const state = subject.state
  if (state?.state !== 'firing') return undefined
  for (const other of states.values()) {
    if (other.key !== state.key && other.state === 'firing' && other.series === state.series && SEVERITY_RANK[other.severity] > SEVERITY_RANK[state.severity]) {
      return `inhibited by ${other.key} (${other.severity})`
    }
  }
  return undefined
}

/**
 * The suppress stage: silences, maintenance windows and inhibition withhold
 * every notification of what they match — firing, resolution and escalation
 * alike. The alert keeps its state and its log; when the suppression ends,
 * the throttle stage tells each channel what it missed, once.
 */
export function suppress(batch: Batch, context: PlanContext): Batch {
  const {snapshot, config, now} = context
  const suppressed = [...batch.suppressed]
  // Reported only for alerts with new events: an alert silenced for a day is not logged every run.
  const changed = new Set(snapshot.events.map((event) => event.key))
  const withheld = [...batch.withheld]
  const subjects = batch.subjects.filter((subject) => {
    const reason = suppression(subject, snapshot.silences, config.alerts.maintenance, now) ?? inhibition(subject, context)
    if (reason && changed.has(subject.key)) suppressed.push({key: subject.key, reason})
    if (reason) withheld.push(subject)
    return !reason
  })
  return {...batch, subjects, suppressed, withheld}
}
