import {randomUUID} from 'node:crypto'

import type {Config} from '../config/schema'
import type {AlertState} from '../rules/state'
import type {StageOptions} from '../stage'
import {LockedError, LOCK_TTL_MS, withLock} from '../store/lock'
import {FLEET} from '../store/keys'
import {orEmpty, replyValue, settle} from '../store/replies'
import {readLatestSample, type Sample} from '../store/samples'
import {topProcesses as rankedProcesses} from '../collect/collectors/processes'
import {channels} from './channels/registry'
import {parseStates} from './check'
import {type DeliveryReport, deliverDue} from './deliver'
import {type AlertEvent, maxSeverity, type Notification, type ProcessRow} from './notification'
import {enqueue, flushQueue} from './outbox'
import {dueEscalations} from './pipeline/escalate'
import {groupEvents} from './pipeline/group'
import {type Silence, suppression} from './pipeline/silence'
import {decide, remainingThisHour, routes, type SentRecord} from './pipeline/throttle'
import {notificationTitle} from './render'

export interface AlertOptions extends StageOptions {
  /** Work out what would be sent, print it, change nothing. */
  dryRun?: boolean
  /** Retry everything in the outbox now, ignoring backoff. */
  flush?: boolean
}

export interface AlertResult {
  host: string
  /** Notifications this run put in the outbox. */
  queued: Notification[]
  suppressed: {key: string; reason: string}[]
  held: {channel: string; keys: string[]}[]
  /** Events still inside their grouping window. */
  waiting: number
  delivery: DeliveryReport
}

const NOTIFIABLE = new Set<AlertEvent['kind']>(['firing', 'severity', 'resolved'])

const isActive = (settings: Config['alerts']['channels'][string] | undefined, destination: string): boolean => {
  const value = settings?.[destination]
  return Boolean(settings?.enabled) && (Array.isArray(value) ? value.length > 0 : Boolean(value))
}

function parseJsonMap<T>(raw: Record<string, string>): Map<string, T> {
  const parsed = new Map<string, T>()
  for (const [field, json] of Object.entries(raw)) {
    try {
      parsed.set(field, JSON.parse(json) as T)
    } catch {
      // A malformed record is treated as absent: at worst one message too many, never one lost.
    }
  }
  return parsed
}

function notification(fields: Pick<Notification, 'channel' | 'host' | 'kind' | 'events' | 'heldBack'> & Partial<Notification>, now: number): Notification {
  // A fleet notification is about the hosts in it (host_silent): it is titled after them.
  if (fields.host === FLEET) fields = {...fields, host: [...new Set(fields.events.map((event) => event.host))].join(', ')}
  const status = fields.events.every((event) => event.kind === 'resolved') ? 'resolved' : 'firing'
  const severity = maxSeverity(fields.events.map((event) => (event.kind === 'resolved' ? event.previous ?? event.severity : event.severity)))
  const draft = {id: randomUUID(), status, severity, createdAt: now, attempts: 0, nextAttemptAt: now, title: '', ...fields} as Notification
  return {...draft, title: notificationTitle(draft)}
}

/**
 * The alert stage. Reads the host's new alert events and turns them into
 * notifications in the order of DESIGN.md — silences and maintenance,
 * grouping, routing and throttling per channel, escalation — queues them in
 * the outbox together with the bookkeeping (one MULTI: a crash leaves either
 * all of it or none), then delivers what is due.
 */
export async function alertStage(options: AlertOptions): Promise<AlertResult> {
  // Two alert stages for one host would read the same cursor and queue the same events twice.
  const own = await withLock(options.redis, options.keys.lock(options.host, 'alert'), LOCK_TTL_MS.alert, 'alert', () => alertUnlocked(options))
  // Then the fleet's alerts (host_silent), by whichever host gets the fleet lock first.
  try {
    const fleet = await withLock(options.redis, options.keys.lock(FLEET, 'alert'), LOCK_TTL_MS.alert, 'fleet alert', () => alertUnlocked({...options, host: FLEET, flush: false}))
    return {...own, queued: [...own.queued, ...fleet.queued], suppressed: [...own.suppressed, ...fleet.suppressed], held: [...own.held, ...fleet.held], waiting: own.waiting + fleet.waiting,
      delivery: {delivered: [...own.delivery.delivered, ...fleet.delivery.delivered], retrying: [...own.delivery.retrying, ...fleet.delivery.retrying], dead: [...own.delivery.dead, ...fleet.delivery.dead]}}
  } catch (error) {
    if (error instanceof LockedError) return own
    throw error
  }
}

async function alertUnlocked(options: AlertOptions): Promise<AlertResult> {
  const {redis, keys, host, config, log, dryRun = false} = options
  const clock = options.now ?? Date.now
  const now = clock()
  const active = channels.filter((channel) => isActive(config.alerts.channels[channel.name], channel.destination))

  // A crashed run may have left decided notifications in the host's queue: they go out first.
  await flushQueue(redis, keys, host)
  // Issued together: auto-pipelined into one round trip per node (the global keys may sit elsewhere on a Cluster).
  const replies = await Promise.all([
    redis.get(keys.alertCursor(host)), redis.hgetall(keys.silences), redis.hgetall(keys.alerts(host)), redis.hgetall(keys.alertSent(host)),
    readLatestSample(redis, keys, host, 'extended', {log}),
    ...active.flatMap((channel) => [redis.zrangebyscore(keys.channelSent(channel.name), now - 3_600_000, '+inf', 'WITHSCORES'), redis.hgetall(keys.channelHeld(channel.name))]),
  ].map(settle))
  const readKeys = [keys.alertCursor(host), keys.silences, keys.alerts(host), keys.alertSent(host), keys.samples(host, 'extended'), ...active.flatMap((channel) => [keys.channelSent(channel.name), keys.channelHeld(channel.name)])]
  const fallbacks: unknown[] = [null, {}, {}, {}, undefined, ...active.flatMap(() => [[], {}])]
  const value = <T>(index: number) => replyValue<T>(replies[index], readKeys[index] as string, log, fallbacks[index] as T)
  const cursor = value<string | null>(0)
  const silences = [...parseJsonMap<Silence>(value(1)).values()]
  const states = parseStates(value(2), (field) => log.warn(`skipped alert ${field} of ${keys.alerts(host)}: malformed state`))
  const sent = parseJsonMap<SentRecord>(value(3))
  const extended = value<Sample | undefined>(4)
  // WITHSCORES: [id, time, id, time, …]; the times are what the hourly limit counts.
  const channelSentAt = new Map(active.map((channel, index) => [channel.name, value<string[]>(5 + index * 2).filter((_item, position) => position % 2 === 1).map(Number)]))
  const channelHeld = new Map(active.map((channel, index) => [channel.name, Object.keys(value<Record<string, string>>(6 + index * 2))]))

  const entries = await orEmpty(redis.xrange(keys.alertLog(host), cursor ? `(${cursor}` : '-', '+') as Promise<[string, string[]][]>, keys.alertLog(host), log, [])
  const events: AlertEvent[] = []
  for (const [id, fields] of entries) {
    try {
      events.push({...(JSON.parse(fields[fields.indexOf('event') + 1] ?? '') as AlertEvent), id})
    } catch {
      log.warn(`skipped entry ${id} of ${keys.alertLog(host)}: not a valid event`)
    }
  }
  const grouped = groupEvents(events.filter((event) => NOTIFIABLE.has(event.kind)), config.alerts.throttling.grouping_window, now)
  const firstWaiting = grouped.waiting[0]?.id
  // The cursor moves past everything read, up to the first event still waiting for its group to close.
  const waitingAt = firstWaiting ? entries.findIndex(([id]) => id === firstWaiting) : entries.length
  const newCursor = waitingAt > 0 ? entries[waitingAt - 1]?.[0] : cursor

  const result: AlertResult = {host, queued: [], suppressed: [], held: [], waiting: grouped.waiting.length, delivery: {delivered: [], retrying: [], dead: []}}
  const sentUpdates = new Map<string, SentRecord>()
  const heldUpdates = new Map<string, string[]>()
  const queuedPerChannel = new Map<string, number>()

  for (const group of grouped.ready) {
    const notifiable = group.filter((event) => {
      const reason = suppression(event, silences, config.alerts.maintenance, now)
      if (reason) result.suppressed.push({key: event.key, reason})
      return !reason
    })
    for (const channel of active) {
      const settings = config.alerts.channels[channel.name] as Config['alerts']['channels'][string]
      const toSend: AlertEvent[] = []
      for (const event of notifiable) {
        if (!routes(event, settings.min_severity)) continue
        const recordKey = `${channel.name}|${event.key}`
        const decision = decide(event, sentUpdates.get(recordKey) ?? sent.get(recordKey), config.alerts.throttling.min_interval, now)
        if (!decision.send) {
          log.debug(`${channel.name}: not sending ${event.kind} of ${event.key}: ${decision.reason}`)
          continue
        }
        sentUpdates.set(recordKey, decision.record)
        toSend.push(event)
      }
      if (toSend.length === 0) continue
      const queued = queuedPerChannel.get(channel.name) ?? 0
      if (remainingThisHour(channelSentAt.get(channel.name) ?? [], config.alerts.throttling.max_alerts_per_hour, now) - queued <= 0) {
        const held = [...(heldUpdates.get(channel.name) ?? channelHeld.get(channel.name) ?? []), ...toSend.map((event) => event.key)]
        heldUpdates.set(channel.name, held)
        result.held.push({channel: channel.name, keys: toSend.map((event) => event.key)})
        continue
      }
      const heldKeys = heldUpdates.get(channel.name) ?? channelHeld.get(channel.name) ?? []
      heldUpdates.set(channel.name, [])
      queuedPerChannel.set(channel.name, queued + 1)
      result.queued.push(notification({channel: channel.name, host, kind: 'alert', events: toSend, heldBack: {count: heldKeys.length, keys: heldKeys}, topProcesses: topProcesses(toSend, extended?.doc)}, now))
    }
  }

  const escalatedStates = new Map<string, AlertState>()
  const email = config.alerts.channels.email
  for (const {state, level, recipients} of dueEscalations(states.values(), config.alerts.escalation, now)) {
    if (!email?.smtp_url) {
      log.warn(`cannot escalate ${state.key} to level ${level + 1}: alerts.channels.email.smtp_url is not set`)
      continue
    }
    const current = escalatedStates.get(state.key) ?? state
    escalatedStates.set(state.key, {...current, escalated: [...current.escalated, level]})
    const event: AlertEvent = {host, key: state.key, rule: state.rule, series: state.series, labels: state.labels, kind: 'firing', severity: state.severity, value: state.value, threshold: state.threshold, since: state.firingSince ?? state.since, at: now, message: `${state.message}: firing for ${Math.round((now - (state.firingSince ?? now)) / 60_000)} min, not acknowledged`}
    result.queued.push(notification({channel: 'email', host, kind: 'escalation', events: [event], heldBack: {count: 0, keys: []}, recipients, escalationLevel: level + 1}, now))
  }

  if (dryRun) return result
  // Everything about this host in one MULTI, in its hash slot: the notifications decided, the
  // cursor past their events, the throttling records, the escalation levels sent. A crash leaves
  // all of it or none of it.
  const multi = redis.multi()
  for (const queued of result.queued) enqueue(multi, keys, host, queued)
  for (const [field, record] of sentUpdates) multi.hset(keys.alertSent(host), field, JSON.stringify(record))
  for (const [key, state] of escalatedStates) multi.hset(keys.alerts(host), key, JSON.stringify(state))
  if (newCursor && newCursor !== cursor) multi.set(keys.alertCursor(host), newCursor)
  await multi.exec()
  // The channels' hourly counts and held-back lists are global: written apart (at worst a
  // crash here miscounts one message in the hour).
  await Promise.all([
    ...result.queued.flatMap((queued) => [redis.zadd(keys.channelSent(queued.channel), now, queued.id), redis.zremrangebyscore(keys.channelSent(queued.channel), '-inf', now - 3_600_000)]),
    ...[...heldUpdates].map(async ([channel, held]) => {
      await redis.del(keys.channelHeld(channel))
      if (held.length > 0) await redis.hset(keys.channelHeld(channel), Object.fromEntries(held.map((key) => [key, '1'])))
    }),
  ])
  await flushQueue(redis, keys, host)
  result.delivery = await deliverDue({redis, keys, config, log, now: clock, flush: options.flush})
  return result
}

/** For a cpu or memory alert: what was using it, from the newest extended sample. */
function topProcesses(events: AlertEvent[], doc: Record<string, unknown> | undefined): Notification['topProcesses'] {
  const rule = events.find((event) => event.kind !== 'resolved' && (event.rule === 'cpu' || event.rule === 'memory'))?.rule
  if (!rule || !doc) return undefined
  const rows = rankedProcesses(doc, rule as 'cpu' | 'memory')
  if (rows.length === 0) return undefined
  return {by: rule as 'cpu' | 'memory', rows: rows.slice(0, 5).map(({pid, name, cmdline, cpu_percent, memory_percent}): ProcessRow => ({pid, name, cmdline, cpu_percent, memory_percent}))}
}
