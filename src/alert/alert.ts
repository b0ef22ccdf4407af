import {randomUUID} from 'node:crypto'

import type {Redis} from 'ioredis'

import type {Logger} from '../cli/log'
import type {Config} from '../config/schema'
import type {StageOptions} from '../stage'
import {parseSilences, parseStates, parseTold, readEvents, writeTold} from '../store/alerts'
import {FLEET, type Keys} from '../store/keys'
import {LockedError, lockTtlMs, withLock} from '../store/lock'
import {replyValue, settle} from '../store/replies'
import {readLatestSample, type Sample} from '../store/samples'
import {channels} from './channels/registry'
import {type DeliveryReport, deliverDue} from './deliver'
import type {Notification} from './notification'
import {enqueue, flushQueue} from './outbox'
import {plan, type Plan} from './pipeline/plan'
import type {ActiveChannel, Snapshot} from './pipeline/types'

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

/** The channels that are on and have a destination, with their minimum severity. */
export function activeChannels(config: Config): ActiveChannel[] {
  return channels.flatMap((channel) => {
    const settings = config.alerts.channels[channel.name]
    const destination = settings?.[channel.destination]
    const set = Array.isArray(destination) ? destination.length > 0 : Boolean(destination)
    return settings?.enabled && set ? [{name: channel.name, minSeverity: settings.min_severity}] : []
  })
}

/**
 * The alert stage: load → plan → persist, then deliver. It loads a snapshot
 * of the host's alert records, runs the pure plan (suppress → group → route →
 * throttle → hourly cap → escalate, see pipeline/plan.ts), persists the plan
 * in one MULTI in the host's hash slot (a crash leaves all of it or none),
 * and delivers what is due from the outbox. Then the same for the fleet's
 * alerts (host_silent), by whichever host gets the fleet lock first.
 */
export async function alertStage(options: AlertOptions): Promise<AlertResult> {
  const ttlMs = lockTtlMs('alert', options.config)
  // Two alert stages for one host would read the same cursor and queue the same events twice.
  const own = await withLock(options.redis, options.keys.lock(options.host, 'alert'), ttlMs, 'alert', () => alertScope(options))
  let fleet: AlertResult | undefined
  try {
    fleet = await withLock(options.redis, options.keys.lock(FLEET, 'alert'), ttlMs, 'fleet alert', () => alertScope({...options, host: FLEET}))
  } catch (error) {
    if (!(error instanceof LockedError)) throw error
  }
  const clock = options.now ?? Date.now
  const delivery = options.dryRun ? own.delivery : await deliverDue({redis: options.redis, keys: options.keys, config: options.config, log: options.log, now: clock, flush: options.flush})
  if (!fleet) return {...own, delivery}
  return {host: own.host, queued: [...own.queued, ...fleet.queued], suppressed: [...own.suppressed, ...fleet.suppressed], held: [...own.held, ...fleet.held], waiting: own.waiting + fleet.waiting, delivery}
}

async function alertScope(options: AlertOptions): Promise<AlertResult> {
  const {redis, keys, host, config, log, dryRun = false} = options
  const now = (options.now ?? Date.now)()
  const active = activeChannels(config)
  // A crashed run may have left decided notifications in the host's queue: they go out first.
  if (!dryRun) await flushQueue(redis, keys, host)
  const snapshot = await loadSnapshot(redis, keys, host, active, now, log)
  const decided = plan(snapshot, config, active, now, randomUUID)
  if (!dryRun) await persist(redis, keys, snapshot, decided, now)
  return {host, queued: decided.notifications, suppressed: decided.suppressed, held: decided.heldNow, waiting: decided.waiting, delivery: {delivered: [], retrying: [], dead: []}}
}

/** Everything the plan needs, read in one round trip per node (the global keys may sit elsewhere on a Cluster). */
export async function loadSnapshot(redis: Redis, keys: Keys, host: string, active: readonly ActiveChannel[], now: number, log: Logger): Promise<Snapshot> {
  const hourAgo = now - 3_600_000
  const reads: [string, Promise<unknown>, unknown][] = [
    [keys.alertCursor(host), redis.get(keys.alertCursor(host)), null],
    [keys.silences, redis.hgetall(keys.silences), {}],
    [keys.alerts(host), redis.hgetall(keys.alerts(host)), {}],
    [keys.alerts(FLEET), redis.hgetall(keys.alerts(FLEET)), {}],
    [keys.alertSent(host), redis.hgetall(keys.alertSent(host)), {}],
    [keys.samples(host, 'extended'), host === FLEET ? Promise.resolve(undefined) : readLatestSample(redis, keys, host, 'extended', {log}), undefined],
    ...active.flatMap((channel): [string, Promise<unknown>, unknown][] => [
      [keys.channelSent(channel.name), redis.zcount(keys.channelSent(channel.name), `(${hourAgo}`, '+inf'), 0],
      [keys.channelHeld(channel.name), redis.hkeys(keys.channelHeld(channel.name)), []],
    ]),
  ]
  const replies = await Promise.all(reads.map(([, read]) => settle(read)))
  const value = <T>(index: number): T => replyValue<T>(replies[index], reads[index]?.[0] as string, log, reads[index]?.[2] as T)
  const cursor = value<string | null>(0)
  const malformed = (key: string) => (field: string) => log.warn(`skipped alert ${field} of ${key}: malformed state`)
  const fleetStates = parseStates(value(3), malformed(keys.alerts(FLEET)))
  const silentHosts = new Set([...fleetStates.values()].filter((state) => state.rule === 'host_silent' && state.state === 'firing').map((state) => state.labels.host ?? ''))
  return {
    host,
    cursor,
    events: await readEvents(redis, keys, host, cursor, log),
    states: host === FLEET ? fleetStates : parseStates(value(2), malformed(keys.alerts(host))),
    silentHosts,
    silences: parseSilences(value(1)),
    told: parseTold(value(4)),
    hour: new Map(active.map((channel, index) => [channel.name, {sent: Number(value(6 + index * 2)), held: value<string[]>(7 + index * 2)}])),
    extendedDoc: value<Sample | undefined>(5)?.doc,
  }
}

/**
 * Everything about the scope in one MULTI, in its hash slot: the notifications
 * decided (queued), the told records, the cursor. The channels' hourly counts
 * and held-back lists are global, written apart: at worst a crash in between
 * miscounts one message in the hour.
 */
async function persist(redis: Redis, keys: Keys, snapshot: Snapshot, decided: Plan, now: number): Promise<void> {
  const {host} = snapshot
  const multi = redis.multi()
  for (const notification of decided.notifications) enqueue(multi, keys, host, notification)
  writeTold(multi, keys, host, decided.told)
  if (decided.cursor && decided.cursor !== snapshot.cursor) multi.set(keys.alertCursor(host), decided.cursor)
  await multi.exec()
  // Only a channel's own messages count against its hour; escalation is never capped.
  const counted = decided.notifications.filter((notification) => notification.escalationLevel === undefined)
  await Promise.all([
    ...counted.flatMap((notification) => [redis.zadd(keys.channelSent(notification.channel), now, notification.id), redis.zremrangebyscore(keys.channelSent(notification.channel), '-inf', now - 3_600_000)]),
    ...[...decided.held].map(async ([channel, held]) => {
      await redis.del(keys.channelHeld(channel))
      if (held.length > 0) await redis.hset(keys.channelHeld(channel), Object.fromEntries(held.map((key) => [key, '1'])))
    }),
  ])
  await flushQueue(redis, keys, host)
}
