import type {AlertEvent} from '../notification'

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
