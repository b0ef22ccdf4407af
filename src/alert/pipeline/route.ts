import type {Severity} from '../../config/schema'
import {toldField} from '../../store/alerts'
import {SEVERITY_RANK} from '../notification'
import type {Batch, Draft, PlanContext, Subject} from './types'

export const reaches = (severity: Severity, minSeverity: Severity): boolean => SEVERITY_RANK[severity] >= SEVERITY_RANK[minSeverity]

/**
 * Whether a channel takes a subject: its alert fires, or fired in this
 * batch, at or above the channel's `min_severity` — or the channel was told
 * of its episode, and then follows it to its resolution whatever the severity. Pure.
 */
export function takes(subject: Subject, channel: string, minSeverity: Severity, context: PlanContext): boolean {
  if (context.snapshot.told.has(toldField(channel, subject.key))) return true
  if (subject.state?.state === 'firing' && reaches(subject.state.severity, minSeverity)) return true
  return subject.events.some((event) => event.kind !== 'resolved' && reaches(event.severity, minSeverity))
}

/** The route stage: one draft per channel, with the subjects it takes (throttle turns them into lines). */
export function route(batch: Batch, context: PlanContext): Batch {
  const drafts: Draft[] = context.channels.flatMap((channel) => {
    const subjects = batch.subjects.filter((subject) => takes(subject, channel.name, channel.minSeverity, context))
    return subjects.length === 0 ? [] : [{audience: channel.name, channel: channel.name, kind: 'alert' as const, events: [], told: new Map(), subjects}]
  })
  return {...batch, drafts: [...batch.drafts, ...drafts]}
}
