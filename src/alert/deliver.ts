import type {Redis} from 'ioredis'

import type {Logger} from '../cli/log'
import {stopRequested} from '../cli/stop'
import type {Config} from '../config/schema'
import type {Keys} from '../store/keys'
import {channelNamed} from './channels/registry'
import {DeliveryError} from './channels/types'
import type {Notification} from './notification'
import {type Claimed, claimMember, claimNext, complete, deadLetter, outboxMembers, reschedule} from './outbox'

export interface DeliveryReport {
  delivered: Notification[]
  /** Failed this time, to be retried later. */
  retrying: Notification[]
  /** Failed for the last time: now in the dead-letter set. */
  dead: Notification[]
}

/** Delay before attempt n + 1 (n ≥ 1): retry_backoff × 2^(n−1) seconds. Pure. */
export const backoffMs = (attempts: number, retryBackoffS: number): number => retryBackoffS * 1000 * 2 ** Math.max(0, attempts - 1)

/**
 * Sends every notification that is due (all of them with `flush`, like
 * `postqueue -f`), one channel call each, and records the outcome: removed
 * when accepted, rescheduled with backoff when a retry can help, dead-lettered
 * after max_attempts or when it cannot. Each is claimed on its own, with a
 * lease of a few delivery timeouts, just before it is sent: a slow receiver
 * never lets a lease run out over notifications still waiting their turn.
 */
export async function deliverDue({redis, keys, config, log, now, flush = false}: {redis: Redis; keys: Keys; config: Config; log: Logger; now: () => number; flush?: boolean}): Promise<DeliveryReport> {
  const report: DeliveryReport = {delivered: [], retrying: [], dead: []}
  const timeoutMs = config.alerts.delivery.timeout * 1000
  // Due by the start of this call: a notification rescheduled during it waits for the next run.
  const dueBy = now()
  const listing = flush ? await outboxMembers(redis, keys) : []
  const next = (): Promise<Claimed | undefined> => {
    const leaseUntil = now() + timeoutMs * LEASE_TIMEOUTS
    if (!flush) return claimNext(redis, keys, dueBy, leaseUntil, now())
    const member = listing.shift()
    return member === undefined ? Promise.resolve(undefined) : claimMember(redis, keys, member, leaseUntil, now()).then((claim) => claim ?? next())
  }
  for (let claim = await next(); claim; claim = stopRequested() ? undefined : await next()) {
    const {member, notification} = claim
    if (!notification) {
      log.warn(`moved a malformed outbox entry to ${keys.deadletter}`)
      await deadLetter(redis, keys, member, member, now())
      continue
    }
    await deliverOne(notification, member, {redis, keys, config, log, now, timeoutMs}, report)
  }
  if (stopRequested()) {
    const left = flush ? listing.length : await redis.zcount(keys.outbox, '-inf', dueBy)
    log.info(`stopping: left ${left} notification(s) in the outbox for the next run`)
  }
  return report
}

/** How many delivery timeouts a claim lasts: one send may spend a timeout connecting, another answering. */
const LEASE_TIMEOUTS = 3

async function deliverOne(notification: Notification, member: string, {redis, keys, config, log, now, timeoutMs}: {redis: Redis; keys: Keys; config: Config; log: Logger; now: () => number; timeoutMs: number}, report: DeliveryReport): Promise<void> {
  const settings = config.alerts.channels[notification.channel]
  const channel = settings && channelNamed(settings.type)
  try {
    if (!channel || !settings) throw new DeliveryError(`channel ${notification.channel} is not configured`, false)
    await channel.send(notification, settings as never, {timeoutMs, externalUrl: config.alerts.external_url, sentAt: now()})
    await complete(redis, keys, member)
    report.delivered.push(notification)
    log.debug(`sent ${notification.id} by ${notification.channel}`)
  } catch (error) {
    const retryable = error instanceof DeliveryError ? error.retryable : true
    const attempts = notification.attempts + 1
    const updated: Notification = {...notification, attempts, lastError: (error as Error).message, nextAttemptAt: now() + backoffMs(attempts, config.alerts.delivery.retry_backoff)}
    if (retryable && attempts < config.alerts.delivery.max_attempts) {
      await reschedule(redis, keys, member, updated)
      report.retrying.push(updated)
      log.warn(`${notification.channel}: ${updated.lastError}; attempt ${attempts} of ${config.alerts.delivery.max_attempts}, next in ${Math.round((updated.nextAttemptAt - now()) / 1000)} s`)
    } else {
      await deadLetter(redis, keys, member, updated, now())
      report.dead.push(updated)
      log.error(`${notification.channel}: ${updated.lastError}; gave up after ${attempts} attempt(s), moved to ${keys.deadletter}`)
    }
  }
}
