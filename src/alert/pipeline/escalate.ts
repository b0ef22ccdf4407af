import {smtpChannel} from '../../config/channels'
import type {Config, Severity} from '../../config/schema'
import {parseToldField, type Told, toldField} from '../../store/alerts'
import {reaches} from './route'
import {newTold, present, resolution} from './throttle'
import type {ActiveChannel, Batch, Draft, PlanContext, Subject} from './types'

/** One destination of an escalation level: a channel, with the level's recipients when it is email. */
export interface EscalationAudience {
  audience: string
  channel: string
  /** Index into alerts.escalation.levels. */
  level: number
  recipients?: string[]
  afterMs: number
  minSeverity: Severity
}

/** Told records of escalation audiences are kept under these names, apart from the channels' own. */
const audienceName = (level: number, channel: string): string => `escalation-${level + 1}:${channel}`
const ESCALATION_AUDIENCE = /^escalation-(\d+):(.+)$/

/**
 * The destinations of every escalation level: the level's email recipients
 * (through the first email channel with an SMTP server, whether or not it
 * has recipients of its own) and the channels it names, those that are on. Pure.
 */
export function escalationAudiences(alerts: Config['alerts'], channels: readonly ActiveChannel[]): EscalationAudience[] {
  const {escalation} = alerts
  if (!escalation.enabled) return []
  const active = new Set(channels.map((channel) => channel.name))
  const email = smtpChannel({alerts})?.name
  return escalation.levels.flatMap((level, index) => {
    const common = {level: index, afterMs: level.after * 1000, minSeverity: level.min_severity ?? 'warning'}
    const recipients = level.recipients ?? []
    const byEmail = recipients.length > 0 && email ? [{...common, audience: audienceName(index, email), channel: email, recipients}] : []
    const named = (level.channels ?? []).filter((name) => active.has(name)).map((name) => ({...common, audience: audienceName(index, name), channel: name}))
    return [...byEmail, ...named]
  })
}

/**
 * When the escalation clock of an episode started: when a channel first told
 * someone of it (so the time under a silence or held back by the cap does not
 * count as "nobody reacted"), else when it began firing.
 */
function clockStart(subject: Subject, context: PlanContext, toldNow: ReadonlyMap<string, Told | null>): number {
  const state = subject.state
  const firstAts = context.channels.flatMap((channel) => {
    const told = toldOf(toldField(channel.name, subject.key), context, toldNow)
    return told && told.episode === state?.since ? [told.firstAt] : []
  })
  return firstAts.length > 0 ? Math.min(...firstAts) : state?.firingSince ?? state?.since ?? context.now
}

const toldOf = (field: string, context: PlanContext, toldNow: ReadonlyMap<string, Told | null>): Told | undefined =>
  toldNow.has(field) ? toldNow.get(field) ?? undefined : context.snapshot.told.get(field)

/**
 * When a level is due for an episode: its threshold after the clock start
 * for the first level that applies; for the next ones, the difference of
 * thresholds after the level before was told. So levels go out in order and
 * keep their spacing, also when a silence ended with several of them overdue.
 * Undefined when the level before applies but has not been told yet.
 */
function dueAt(target: EscalationAudience, subject: Subject, applying: readonly EscalationAudience[], start: number, context: PlanContext, toldNow: ReadonlyMap<string, Told | null>): number | undefined {
  const earlier = applying.filter((candidate) => candidate.level < target.level)
  const previousLevel = Math.max(-1, ...earlier.map((candidate) => candidate.level))
  if (previousLevel < 0) return start + target.afterMs
  const previous = earlier.filter((candidate) => candidate.level === previousLevel)
  const toldAt = previous.flatMap((candidate) => {
    const told = toldOf(toldField(candidate.audience, subject.key), context, toldNow)
    return told && told.episode === subject.state?.since ? [told.firstAt] : []
  })
  if (toldAt.length === 0) return undefined
  return Math.min(...toldAt) + target.afterMs - (previous[0] as EscalationAudience).afterMs
}

/**
 * The escalate stage: an alert firing, at or above a level's `min_severity`
 * and not acknowledged for the level's `after` is told to that
 * level's destinations, once per episode and level; they hear its resolution
 * too. One message per destination and run. Suppressed alerts have left the
 * batch before this stage, so a silence withholds escalation as well.
 */
export function escalate(batch: Batch, context: PlanContext): Batch {
  const {snapshot, config, now} = context
  const toldNow = new Map(batch.drafts.flatMap((draft) => [...draft.told]))
  const drafts = new Map<string, Draft>()
  const draftFor = (audience: string, channel: string, level: number, recipients?: string[]): Draft => {
    const existing = drafts.get(audience)
    if (existing) return existing
    const draft: Draft = {audience, channel, kind: 'alert', events: [], told: new Map(), escalationLevel: level + 1, ...(recipients ? {recipients} : {})}
    drafts.set(audience, draft)
    return draft
  }
  const audiences = escalationAudiences(config.alerts, context.channels)
  const ready = batch.subjects.filter((subject) => !subject.waiting)
  // Resolutions: every escalation destination told of an episode that is over, with the recipients it was told with.
  for (const [field, told] of snapshot.told) {
    const {audience, key} = parseToldField(field)
    const match = ESCALATION_AUDIENCE.exec(audience)
    const subject = match && ready.find((candidate) => candidate.key === key)
    if (!match || !subject || (subject.state?.state === 'firing' && subject.state.since === told.episode)) continue
    const channel = match[2] as string
    if (!context.channels.some((active) => active.name === channel) && !(told.recipients && config.alerts.channels[channel])) continue
    const draft = draftFor(audience, channel, Number(match[1]) - 1, told.recipients)
    draft.events.push(subject.events.find((event) => event.kind === 'resolved' && event.since === told.episode) ?? resolution(key, told, now))
    draft.told.set(field, null)
  }
  for (const subject of ready) {
    const state = subject.state
    if (state?.state !== 'firing' || state.acknowledged) continue
    const start = clockStart(subject, context, toldNow)
    const applying = audiences.filter((target) => reaches(state.severity, target.minSeverity))
    for (const target of applying) {
      const field = toldField(target.audience, subject.key)
      if (toldOf(field, context, toldNow)?.episode === state.since) continue
      const due = dueAt(target, subject, applying, start, context, toldNow)
      if (due === undefined || now < due) continue
      const draft = draftFor(target.audience, target.channel, target.level, target.recipients)
      draft.kind = 'escalation'
      draft.events.push({...present(subject.key, state, 'firing', now), message: `${state.message}: firing for ${Math.round((now - start) / 60_000)} min, not acknowledged`})
      const record = {...newTold(state, now), ...(target.recipients ? {recipients: target.recipients} : {})}
      draft.told.set(field, record)
      toldNow.set(field, record)
    }
  }
  return {...batch, drafts: [...batch.drafts, ...drafts.values()]}
}
