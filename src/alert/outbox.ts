import type {ChainableCommander, Redis} from 'ioredis'

import type {Keys} from '../store/keys'
import type {Notification} from './notification'

/**
 * The outbox is a sorted set: member = the notification's JSON, score = when
 * it may next be tried (ms). A notification leaves it only when its channel
 * accepted it, or for the dead-letter set after its last attempt.
 */
export function enqueue(multi: ChainableCommander, keys: Keys, host: string, notification: Notification): void {
  multi.rpush(keys.alertQueue(host), JSON.stringify(notification))
}

/**
 * Moves a host's queued notifications into the global outbox. The queue is
 * written in the same MULTI as the alert cursor (one hash slot); the outbox
 * is global, so this second step is apart. A crash in between leaves them in
 * the queue, and the next run moves them: ZADD of the same JSON is the same
 * member, so nothing is doubled and nothing lost.
 */
export async function flushQueue(redis: Redis, keys: Keys, host: string): Promise<number> {
  const queued = await redis.lrange(keys.alertQueue(host), 0, -1)
  if (queued.length === 0) return 0
  await redis.zadd(keys.outbox, ...queued.flatMap((json) => {
    try {
      return [String((JSON.parse(json) as Notification).nextAttemptAt), json]
    } catch {
      return ['0', json]
    }
  }))
  await redis.ltrim(keys.alertQueue(host), queued.length, -1)
  return queued.length
}

/**
 * Claims up to `limit` notifications due by `dueBy`, atomically pushing their
 * score `leaseMs` into the future: two processes never take the same one, and
 * if this process dies mid-send the lease runs out and another retries it
 * (at least once). One key, so it is safe on Redis Cluster.
 */
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], member) end
return due`

export interface Claimed {
  member: string
  notification: Notification | undefined
}

export async function claimDue(redis: Redis, keys: Keys, dueBy: number, leaseUntil: number, limit = 100): Promise<Claimed[]> {
  const members = (await redis.eval(CLAIM, 1, keys.outbox, String(dueBy), String(leaseUntil), String(limit))) as string[]
  return members.map((member) => {
    try {
      return {member, notification: JSON.parse(member) as Notification}
    } catch {
      return {member, notification: undefined}
    }
  })
}

/** The channel accepted it: gone for good. */
export async function complete(redis: Redis, keys: Keys, member: string): Promise<void> {
  await redis.zrem(keys.outbox, member)
}

/** Puts it back with its attempt count, last error and next attempt time (one key, one MULTI). */
export async function reschedule(redis: Redis, keys: Keys, member: string, updated: Notification): Promise<void> {
  await redis.multi().zrem(keys.outbox, member).zadd(keys.outbox, updated.nextAttemptAt, JSON.stringify(updated)).exec()
}

/**
 * Moves it to the dead-letter set: added there before it is removed from the
 * outbox, so a crash in between leaves it in both (tried again), never in neither.
 */
export async function deadLetter(redis: Redis, keys: Keys, member: string, updated: Notification, now: number): Promise<void> {
  await redis.zadd(keys.deadletter, now, JSON.stringify(updated))
  await redis.zrem(keys.outbox, member)
}

export async function listOutbox(redis: Redis, keys: Keys): Promise<{pending: Notification[]; dead: Notification[]}> {
  const [pending, dead] = await Promise.all([redis.zrange(keys.outbox, 0, -1), redis.zrange(keys.deadletter, 0, -1)])
  const parse = (members: string[]) => members.flatMap((member) => {
    try {
      return [JSON.parse(member) as Notification]
    } catch {
      return []
    }
  })
  return {pending: parse(pending), dead: parse(dead)}
}
