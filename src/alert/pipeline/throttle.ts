import type {Config, Severity} from '../../config/schema'
import {hostOfKey} from '../../rules/alert-key'
import type {AlertState} from '../../rules/state'
import {type Told, toldField} from '../../store/alerts'
import {type AlertEvent, SEVERITY_RANK} from '../notification'
import {reaches} from './route'
import type {Batch, Draft, PlanContext, Subject} from './types'

/** An event that states an alert as it is now (the message and value of its state). */
export function present(key: string, state: AlertState, kind: AlertEvent['kind'], at: number, previous?: Severity): AlertEvent {
  const {rule, series, labels, severity, value, threshold, since, message} = state
  return {host: hostOfKey(key), key, rule, series, labels, kind, severity, ...(previous ? {previous} : {}), value, threshold, since, at, message}
}

/** The resolution of an episode an audience was told of, when no log event says more (it ended while withheld, or its state is gone). */
export function resolution(key: string, told: Told, at: number): AlertEvent {
  return {
    host: hostOfKey(key), key, rule: told.rule, series: told.series, labels: told.labels, kind: 'resolved', severity: told.severity,
    previous: told.severity, value: null, threshold: null, since: told.episode, at, message: `${told.series} no longer firing`,
  }
}

export const newTold = (state: AlertState, now: number): Told =>
  ({episode: state.since, severity: state.severity, firstAt: now, notifiedAt: now, rule: state.rule, series: state.series, labels: state.labels})

export interface Telling {
  /** The lines for this audience, oldest first. */
  events: AlertEvent[]
  /** The audience's record afterwards: unchanged (undefined), a new record, or null (it heard the resolution). */
  told: Told | null | undefined
  /** Why nothing or something was said (for --verbose and the tests). */
  reason: string
}

/**
 * What one channel must hear about one alert, given what it was told. Pure,
 * clock passed in. The contract (README, "When you are told"):
 * - every firing episode is told, once; a re-fire after a resolution is a new episode;
 * - within an episode a rise is told at once, a fall after `min_interval` since the
 *   last message, and the same severity again every `repeat_interval` (0 = never);
 * - a channel told of an episode hears its resolution, whatever the severity by
 *   then; a channel never told of it hears nothing, unless the episode began and
 *   ended between two runs at a severity the channel takes (then both lines).
 */
export function tell(subject: Subject, told: Told | undefined, minSeverity: Severity, throttling: Config['alerts']['throttling'], now: number): Telling {
  const events: AlertEvent[] = []
  let current: Told | null | undefined = told
  const reasons: string[] = []
  // The worst line of an episode in this batch (what decides whether a channel takes it).
  const worstOf = (episode: number): AlertEvent | undefined => subject.events
    .filter((event) => event.since === episode && event.kind !== 'resolved')
    .reduce<AlertEvent | undefined>((worst, event) => (!worst || SEVERITY_RANK[event.severity] > SEVERITY_RANK[worst.severity] ? event : worst), undefined)
  for (const event of subject.events) {
    if (event.kind !== 'resolved') continue
    if (current && current.episode === event.since) {
      // "was <what this audience was told>": Alertmanager resolves the label set it got, a person the severity they read.
      events.push({...event, previous: current.severity})
      current = null
      reasons.push('resolved')
      continue
    }
    // An episode that began and ended unseen: told as the pair, when the channel takes its worst line.
    const fired = worstOf(event.since)
    if (fired && reaches(fired.severity, minSeverity)) {
      events.push(fired, event)
      reasons.push('fired and resolved between two runs')
    }
  }
  if (subject.waiting) {
    // Later events still wait for their window, so the state is not yet the one to tell; but an
    // episode whose firing is ready and was never told must not wait for its resolution to be told.
    const ended = new Set(subject.events.filter((event) => event.kind === 'resolved').map((event) => event.since))
    const fired = subject.events.filter((event) => event.kind !== 'resolved' && !ended.has(event.since) && event.since !== current?.episode).at(-1)
    const worst = fired && worstOf(fired.since)
    if (worst && reaches(worst.severity, minSeverity)) {
      events.push(worst)
      current = {episode: worst.since, severity: worst.severity, firstAt: now, notifiedAt: now, rule: worst.rule, series: worst.series, labels: worst.labels}
      reasons.push('a new episode, while later events wait for their window')
    }
    return {events, told: current === told ? undefined : current, reason: reasons.join('; ') || 'waiting for its grouping window'}
  }
  const state = subject.state?.state === 'firing' ? subject.state : undefined
  if (current && current.episode !== state?.since) {
    // The channel still believes an episode fires that is over: its resolution first.
    events.push(resolution(subject.key, current, now))
    current = null
    reasons.push('its episode is over')
  }
  if (state && !current) {
    if (reaches(state.severity, minSeverity)) {
      events.push(present(subject.key, state, 'firing', now))
      current = newTold(state, now)
      reasons.push('a new episode')
    }
  } else if (state && current) {
    const since = now - current.notifiedAt
    const rank = SEVERITY_RANK[state.severity] - SEVERITY_RANK[current.severity]
    const repeatDue = throttling.repeat_interval > 0 && since >= throttling.repeat_interval * 1000
    if (rank > 0 || (rank < 0 && since >= throttling.min_interval * 1000)) {
      events.push(present(subject.key, state, 'severity', now, current.severity))
      current = {...current, severity: state.severity, notifiedAt: now}
      reasons.push(rank > 0 ? 'a rise' : 'a fall, min_interval after the last message')
    } else if (rank === 0 && repeatDue) {
      events.push(present(subject.key, state, 'firing', now))
      current = {...current, notifiedAt: now}
      reasons.push('repeat_interval')
    } else {
      reasons.push(rank < 0 ? `a fall within min_interval (${throttling.min_interval} s)` : 'already told')
    }
  }
  return {events, told: current === told ? undefined : current, reason: reasons.join('; ') || 'nothing to tell'}
}

/**
 * A machine channel's keep-alive of an alert it was told of that is now
 * withheld (silenced, in maintenance, inhibited): the same episode at the
 * severity it was told, re-posted every `repeatS`, so that Alertmanager does
 * not resolve an alert that still fires. Nothing new is told. Pure.
 */
export function keepAlive(subject: Subject, told: Told | undefined, repeatS: number, now: number): Telling {
  const state = subject.state
  if (!told || state?.state !== 'firing' || state.since !== told.episode || now - told.notifiedAt < repeatS * 1000) return {events: [], told: undefined, reason: 'withheld'}
  return {events: [present(subject.key, {...state, severity: told.severity}, 'firing', now)], told: {...told, notifiedAt: now}, reason: 'withheld; kept alive'}
}

/** The throttle stage: each channel's subjects become the lines it must hear; drafts with none are dropped. */
export function throttle(batch: Batch, context: PlanContext): Batch {
  const {snapshot, config, now} = context
  const keptAlive = context.channels.filter((channel) => channel.repeatS !== undefined).flatMap((channel): Draft[] => {
    const events: AlertEvent[] = []
    const told = new Map<string, Told | null>()
    for (const subject of batch.withheld) {
      const field = toldField(channel.name, subject.key)
      const telling = keepAlive(subject, snapshot.told.get(field), channel.repeatS as number, now)
      events.push(...telling.events)
      if (telling.told !== undefined) told.set(field, telling.told)
    }
    return events.length === 0 ? [] : [{audience: channel.name, channel: channel.name, kind: 'alert', events, told}]
  })
  const drafts = batch.drafts.flatMap((draft): Draft[] => {
    if (!draft.subjects) return [draft]
    const channel = context.channels.find((candidate) => candidate.name === draft.channel)
    const minSeverity = channel?.minSeverity ?? 'warning'
    // A machine channel (Alertmanager) is told every change at once and kept alive every repeatS.
    const throttling = channel?.repeatS === undefined ? config.alerts.throttling : {...config.alerts.throttling, repeat_interval: channel.repeatS, min_interval: 0}
    const events: AlertEvent[] = []
    const told = new Map(draft.told)
    for (const subject of draft.subjects) {
      const field = toldField(draft.audience, subject.key)
      const telling = tell(subject, snapshot.told.get(field), minSeverity, throttling, now)
      events.push(...telling.events)
      if (telling.told !== undefined) told.set(field, telling.told)
    }
    const alive = keptAlive.find((candidate) => candidate.audience === draft.audience)
    if (alive) {
      events.push(...alive.events)
      for (const [field, record] of alive.told) told.set(field, record)
    }
    return events.length === 0 ? [] : [{...draft, subjects: undefined, events, told}]
  })
  const merged = new Set(drafts.map((draft) => draft.audience))
  return {...batch, drafts: [...drafts, ...keptAlive.filter((draft) => !merged.has(draft.audience))]}
}
