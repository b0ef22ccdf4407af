import type {AlertEvent} from '../notification'
import type {Batch, PlanContext} from './types'

/** The events a person hears about; pending and cancelled stay in the log only. */
const NOTIFIABLE = new Set<AlertEvent['kind']>(['firing', 'severity', 'resolved'])

export interface Grouped {
  /** Groups whose window has closed, each one message. */
  ready: AlertEvent[][]
  /** Events whose window is still open: they wait for the next run. */
  waiting: AlertEvent[]
}

/**
 * Groups a host's events: a group opens at its first event and takes every
 * event less than `windowS` later; it is ready once the window has closed.
 * With a window of 0 each check's events (same time) form one group. Pure;
 * `events` oldest first.
 */
export function groupEvents(events: readonly AlertEvent[], windowS: number, now: number): Grouped {
  const ready: AlertEvent[][] = []
  let index = 0
  while (index < events.length) {
    const opens = (events[index] as AlertEvent).at
    const closes = opens + windowS * 1000
    if (now < closes) break
    const group: AlertEvent[] = []
    while (index < events.length && ((events[index] as AlertEvent).at < closes || (events[index] as AlertEvent).at === opens)) group.push(events[index++] as AlertEvent)
    ready.push(group)
  }
  return {ready, waiting: events.slice(index)}
}

/**
 * The group stage: the events of the subjects that go on are grouped by
 * `grouping_window`; a subject keeps its ready events, and one with events
 * still in an open window waits (its present state is told when they are ready).
 */
export function group(batch: Batch, context: PlanContext): Batch {
  const keys = new Set(batch.subjects.map((subject) => subject.key))
  const notifiable = context.snapshot.events.filter((event) => keys.has(event.key) && NOTIFIABLE.has(event.kind))
  const {ready, waiting} = groupEvents(notifiable, context.config.alerts.throttling.grouping_window, context.now)
  const readyEvents = ready.flat()
  const waitingKeys = new Set(waiting.map((event) => event.key))
  const subjects = batch.subjects.map((subject) => ({...subject, events: readyEvents.filter((event) => event.key === subject.key), waiting: waitingKeys.has(subject.key)}))
  return {...batch, subjects, waiting}
}
