import {randomUUID} from 'node:crypto'

import type {Redis} from 'ioredis'

import type {Logger} from '../cli/log'
import {isOn} from '../config/channels'
import type {Config} from '../config/schema'
import type {StageOptions} from '../stage'
import {parseEvents, parseSilences, parseStates, parseTold, withAcks, writeTold} from '../store/alerts'
import {FLEET, type Keys} from '../store/keys'
import {LockedError, lockTtlMs, withLock} from '../store/lock'
import {orEmpty, replyValue, settle} from '../store/replies'
import {readLatestSample, type Sample} from '../store/samples'
import {channelNamed} from './channels/registry'
import {type DeliveryReport, deliverDue} from './deliver'
import {heartbeat} from './heartbeat'
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

/** The named channels that are on and have a destination, with their minimum severity and what their type says of resends and the cap. */
export function activeChannels(config: Config): ActiveChannel[] {
  return Object.entries(config.alerts.channels).flatMap(([name, settings]) => {
    const channel = channelNamed(settings.type)
    if (!channel || !isOn(config, name)) return []
    const repeatS = channel.resendS?.(settings as never)
    return [{name, minSeverity: settings.min_severity, capped: channel.capped ?? true, ...(repeatS === undefined ? {} : {repeatS})}]
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
  // The stage ran: tell the outside world the monitor is alive (whatever the receivers said).
  if (!options.dryRun) await heartbeat(options, clock())
  if (!fleet) return {...own, delivery}
  return {host: own.host, queued: [...own.queued, ...fleet.queued], suppressed: [...own.suppressed, ...fleet.suppressed], held: [...own.held, ...fleet.held], waiting: own.waiting + fleet.waiting, delivery}
}

async function alertScope(options: AlertOptions): Promise<AlertResult> {
  const {redis, keys, host, config, log, dryRun = false} = options
  const now = (options.now ?? Date.now)()
  const active = activeChannels(config)
  // A crashed run may have left decided notifications in the host's queue: they go out first. The cursor is
  // written only by this stage, under its lock: it is read alongside, and the snapshot reads the log after it.
  const [, cursor] = await Promise.all([dryRun ? 0 : flushQueue(redis, keys, host), orEmpty(redis.get(keys.alertCursor(host)), keys.alertCursor(host), log, null)])
  const snapshot = await loadSnapshot(redis, keys, host, cursor, active, now, log)
  const decided = plan(snapshot, config, active, now, randomUUID)
  if (!dryRun) await persist(redis, keys, snapshot, decided, now)
  return {host, queued: decided.notifications, suppressed: decided.suppressed, held: decided.heldNow, waiting: decided.waiting, delivery: {delivered: [], retrying: [], dead: []}}
}

/**
 * Everything the plan needs, the log read after `cursor`. The scope's states, told records and new events
 * are read in one MULTI (one hash slot), so that they agree with each other:
 * `check` writes states and events together. The rest — global keys that may
 * sit on other Cluster nodes — is read alongside, in one round trip per node.
 */
export async function loadSnapshot(redis: Redis, keys: Keys, host: string, cursor: string | null, active: readonly ActiveChannel[], now: number, log: Logger): Promise<Snapshot> {
  const hourAgo = now - 3_600_000
  const scope = redis.multi().hgetall(keys.alerts(host)).hgetall(keys.alertSent(host)).xrange(keys.alertLog(host), cursor ? `(${cursor}` : '-', '+').hgetall(keys.alertAcks(host))
  const reads: [string, Promise<unknown>, unknown][] = [
    [keys.silences, redis.hgetall(keys.silences), {}],
    [keys.alerts(FLEET), host === FLEET ? Promise.resolve({}) : redis.hgetall(keys.alerts(FLEET)), {}],
    [keys.samples(host, 'extended'), host === FLEET ? Promise.resolve(undefined) : readLatestSample(redis, keys, host, 'extended', {log}), undefined],
    ...active.flatMap((channel): [string, Promise<unknown>, unknown][] => [
      [keys.channelSent(channel.name), redis.zcount(keys.channelSent(channel.name), `(${hourAgo}`, '+inf'), 0],
      [keys.channelHeld(channel.name), redis.hkeys(keys.channelHeld(channel.name)), []],
    ]),
  ]
  const [scoped, ...replies] = await Promise.all([scope.exec(), ...reads.map(([, read]) => settle(read))])
  const value = <T>(index: number): T => replyValue<T>(replies[index] as [Error | null, unknown], reads[index]?.[0] as string, log, reads[index]?.[2] as T)
  const malformed = (key: string) => (field: string) => log.warn(`skipped alert ${field} of ${key}: malformed state`)
  const states = withAcks(parseStates(replyValue(scoped?.[0], keys.alerts(host), log, {}), malformed(keys.alerts(host))), replyValue(scoped?.[3], keys.alertAcks(host), log, {}))
  const fleetStates = host === FLEET ? states : parseStates(value(1), malformed(keys.alerts(FLEET)))
  const silentHosts = new Set([...fleetStates.values()].filter((state) => state.rule === 'host_silent' && state.state === 'firing').map((state) => state.labels.host ?? ''))
  return {
    host,
    cursor,
    events: parseEvents(replyValue(scoped?.[2], keys.alertLog(host), log, []), keys.alertLog(host), log),
    states,
    silentHosts,
    silences: parseSilences(value(0)),
    told: parseTold(replyValue(scoped?.[1], keys.alertSent(host), log, {})),
    hour: new Map(active.map((channel, index) => [channel.name, {sent: Number(value(3 + index * 2)), held: value<string[]>(4 + index * 2)}])),
    extendedDoc: value<Sample | undefined>(2)?.doc,
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
  const cursorMoved = Boolean(decided.cursor && decided.cursor !== snapshot.cursor)
  // Most runs decide nothing: no round trip then (run --watch does this every 10 s for two scopes).
  if (decided.notifications.length === 0 && decided.told.size === 0 && !cursorMoved && decided.held.size === 0) return
  const multi = redis.multi()
  for (const notification of decided.notifications) enqueue(multi, keys, host, notification)
  writeTold(multi, keys, host, decided.told)
  if (cursorMoved) multi.set(keys.alertCursor(host), decided.cursor as string)
  await multi.exec()
  // Only a channel's own messages count against its hour; escalation is never capped.
  const counted = decided.notifications.filter((notification) => notification.escalationLevel === undefined)
  await Promise.all([
    ...counted.flatMap((notification) => [redis.zadd(keys.channelSent(notification.channel), now, notification.id), redis.zremrangebyscore(keys.channelSent(notification.channel), '-inf', now - 3_600_000)]),
    ...[...decided.held].flatMap(([channel, {add, clear}]) => [
      ...(add.length > 0 ? [redis.hset(keys.channelHeld(channel), Object.fromEntries(add.map((key) => [key, '1'])))] : []),
      ...(clear.length > 0 ? [redis.hdel(keys.channelHeld(channel), ...clear)] : []),
    ]),
  ])
  if (decided.notifications.length > 0) await flushQueue(redis, keys, host)
}
