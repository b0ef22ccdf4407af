import type {Redis} from 'ioredis'

import type {Logger} from '../cli/log'
import {stopRequested} from '../cli/stop'
import type {Config} from '../config/schema'
import type {Keys} from '../store/keys'
import {channelNamed} from './channels/registry'
import {DeliveryError} from './channels/types'
import type {Notification} from './notification'
import {claimDue, complete, deadLetter, reschedule} from './outbox'

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
 * after max_attempts or when it cannot.
 */
export async function deliverDue({redis, keys, config, log, now, flush = false}: {redis: Redis; keys: Keys; config: Config; log: Logger; now: () => number; flush?: boolean}): Promise<DeliveryReport> {
  const report: DeliveryReport = {delivered: [], retrying: [], dead: []}
  const timeoutMs = config.alerts.delivery.timeout * 1000
  const claimed = await claimDue(redis, keys, flush ? Number.POSITIVE_INFINITY : now(), now() + timeoutMs * 6)
  for (const [index, {member, notification}] of claimed.entries()) {
    if (stopRequested()) {
      // Stopping: hand back what this process claimed but has not started, due at once.
      const rest = claimed.slice(index)
      await redis.zadd(keys.outbox, 'XX', ...rest.flatMap((item) => [String(item.notification?.nextAttemptAt ?? now()), item.member]))
      log.info(`stopping: left ${rest.length} notification(s) in the outbox for the next run`)
      break
    }
    if (!notification) {
      log.warn(`moved a malformed outbox entry to ${keys.deadletter}`)
      await redis.zadd(keys.deadletter, now(), member)
      await redis.zrem(keys.outbox, member)
      continue
    }
    const channel = channelNamed(notification.channel)
    const settings = config.alerts.channels[notification.channel]
    try {
      if (!channel || !settings) throw new DeliveryError(`channel ${notification.channel} is not configured`, false)
      await channel.send(notification, settings as never, {timeoutMs})
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
  return report
}
