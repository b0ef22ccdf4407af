import type {Severity} from '../../config/schema'
import {type AlertEvent, SEVERITY_RANK} from '../notification'

/** What a channel was last told about one alert. */
export interface SentRecord {
  status: 'firing' | 'resolved'
  severity: Severity
  /** When a firing message about it last went out, ms. */
  firingAt: number
}

export type Decision = {send: true; record: SentRecord} | {send: false; reason: string}

/**
 * Whether a channel should be told about an event. Pure, clock passed in.
 * - firing: yes, unless the same alert went out as firing less than
 *   `minIntervalS` ago at the same or a higher severity (a flapping alert);
 * - severity: a rise always goes out; a fall is throttled like a re-fire;
 * - resolved: only if the channel was told it fired (nothing to take back otherwise).
 */
export function decide(event: Pick<AlertEvent, 'kind' | 'severity'>, last: SentRecord | undefined, minIntervalS: number, now: number): Decision {
  if (event.kind === 'resolved') {
    if (last?.status !== 'firing') return {send: false, reason: 'resolved, but its firing was never sent'}
    return {send: true, record: {...last, status: 'resolved'}}
  }
  const rose = last !== undefined && SEVERITY_RANK[event.severity] > SEVERITY_RANK[last.severity]
  const recent = last !== undefined && now - last.firingAt < minIntervalS * 1000
  if (recent && !rose) return {send: false, reason: `sent ${Math.round((now - (last?.firingAt ?? now)) / 1000)} s ago (min_interval ${minIntervalS} s)`}
  return {send: true, record: {status: 'firing', severity: event.severity, firingAt: now}}
}

/** How many more messages a channel may send in the hour before `now`, given its send times. Pure. */
export function remainingThisHour(sentAt: readonly number[], maxPerHour: number, now: number): number {
  return Math.max(0, maxPerHour - sentAt.filter((at) => at > now - 3_600_000).length)
}

/** Whether a channel takes an event of this severity (a resolution counts at the severity it had). */
export const routes = (event: Pick<AlertEvent, 'kind' | 'severity' | 'previous'>, minSeverity: Severity): boolean =>
  SEVERITY_RANK[event.kind === 'resolved' ? (event.previous ?? event.severity) : event.severity] >= SEVERITY_RANK[minSeverity]
