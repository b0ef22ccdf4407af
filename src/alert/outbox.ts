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

/** An outbox or dead-letter member as a notification; undefined when it is not valid JSON (each caller says what then). */
const parseMember = (member: string): Notification | undefined => {
  try {
    return JSON.parse(member) as Notification
  } catch {
    return undefined
  }
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
  await redis.zadd(keys.outbox, ...queued.flatMap((json) => [String(parseMember(json)?.nextAttemptAt ?? 0), json]))
  await redis.ltrim(keys.alertQueue(host), queued.length, -1)
  return queued.length
}

/**
 * Leases: a member being sent is in the lease set (`{<prefix>:outbox}:leases`,
 * the outbox's own hash slot) until its lease runs out; its score in the
 * outbox is pushed to the same time, so a normal claim skips it too. Every
 * sender claims one notification at a time through these scripts — `alert`,
 * `alert --flush` and `run` alike — so none is sent twice while in flight,
 * and a sender that dies frees it when the lease ends (at least once).
 */
const CLAIM_DUE = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)) do
  if not redis.call('ZSCORE', KEYS[2], member) then
    redis.call('ZADD', KEYS[1], ARGV[2], member)
    redis.call('ZADD', KEYS[2], ARGV[2], member)
    return member
  end
end
return false`

/** Claims one given member, if it is still in the outbox and nobody holds it. */
const CLAIM_MEMBER = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) and not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
  return ARGV[1]
end
return false`

export interface Claimed {
  member: string
  notification: Notification | undefined
}

const claimed = (member: string | null): Claimed | undefined => {
  if (member === null) return undefined
  return {member, notification: parseMember(member)}
}

/** Claims the next notification due by `dueBy` that nobody holds, leased until `leaseUntil`; undefined when there is none. */
export async function claimNext(redis: Redis, keys: Keys, dueBy: number, leaseUntil: number, now: number): Promise<Claimed | undefined> {
  return claimed((await redis.eval(CLAIM_DUE, 2, keys.outbox, keys.outboxLeases, String(dueBy), String(leaseUntil), String(now))) as string | null)
}

/** Claims this member if it is still waiting and nobody holds it (`alert --flush` walks a listing this way). */
export async function claimMember(redis: Redis, keys: Keys, member: string, leaseUntil: number, now: number): Promise<Claimed | undefined> {
  return claimed((await redis.eval(CLAIM_MEMBER, 2, keys.outbox, keys.outboxLeases, member, String(leaseUntil), String(now))) as string | null)
}

/** Every member of the outbox, soonest first (for --flush). */
export const outboxMembers = (redis: Redis, keys: Keys): Promise<string[]> => redis.zrange(keys.outbox, 0, -1)

/** The channel accepted it: gone for good. */
export async function complete(redis: Redis, keys: Keys, member: string): Promise<void> {
  await redis.multi().zrem(keys.outbox, member).zrem(keys.outboxLeases, member).exec()
}

/** Puts it back with its attempt count, last error and next attempt time, lease released (one slot, one MULTI). */
export async function reschedule(redis: Redis, keys: Keys, member: string, updated: Notification): Promise<void> {
  await redis.multi().zrem(keys.outbox, member).zrem(keys.outboxLeases, member).zadd(keys.outbox, updated.nextAttemptAt, JSON.stringify(updated)).exec()
}

/**
 * Moves it to the dead-letter set: added there before it is removed from the
 * outbox, so a crash in between leaves it in both (tried again), never in neither.
 */
export async function deadLetter(redis: Redis, keys: Keys, member: string, updated: Notification | string, now: number): Promise<void> {
  await redis.zadd(keys.deadletter, now, typeof updated === 'string' ? updated : JSON.stringify(updated))
  await redis.multi().zrem(keys.outbox, member).zrem(keys.outboxLeases, member).exec()
}

/**
 * Puts dead letters back in the outbox, due at once with their attempts
 * reset (their last error kept): those whose id is in `ids`, or all of them.
 * Added to the outbox before they leave the dead-letter set, so a crash in
 * between leaves them in both, never in neither. Returns the ids requeued.
 */
export async function requeueDead(redis: Redis, keys: Keys, ids: readonly string[] | 'all', now: number): Promise<string[]> {
  const members = await redis.zrange(keys.deadletter, 0, -1)
  const chosen = members.flatMap((member) => {
    const notification = parseMember(member)
    return notification && (ids === 'all' || ids.includes(notification.id)) ? [{member, notification}] : []
  })
  if (chosen.length === 0) return []
  // The same content whoever requeues it and how often (nextAttemptAt 0): two requeues are one member, never two sends.
  await redis.zadd(keys.outbox, ...chosen.flatMap(({notification}) => [String(now), JSON.stringify({...notification, attempts: 0, nextAttemptAt: 0})]))
  await redis.zrem(keys.deadletter, ...chosen.map(({member}) => member))
  return chosen.map(({notification}) => notification.id)
}

export async function listOutbox(redis: Redis, keys: Keys): Promise<{pending: Notification[]; dead: Notification[]}> {
  const [pending, dead] = await Promise.all([redis.zrange(keys.outbox, 0, -1), redis.zrange(keys.deadletter, 0, -1)])
  const parse = (members: string[]) => members.flatMap((member) => parseMember(member) ?? [])
  return {pending: parse(pending), dead: parse(dead)}
}
