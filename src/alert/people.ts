import {randomBytes} from 'node:crypto'
import {userInfo} from 'node:os'

import type {Redis} from 'ioredis'

import {ConfigError} from '../cli/errors'
import {hostOfKey} from '../rules/alert-key'

import {ackRecord, parseSilences, parseStates, readActiveAlerts, readHistory} from '../store/alerts'
import {FLEET, type Keys} from '../store/keys'
import type {AlertEvent} from './notification'
import {globToRegExp, type Silence} from './pipeline/silence'
import {alertJson, type AlertJson, byUrgency} from './views'

const whoAmI = (): string => {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

/** The hosts to look at: one, or every host in <prefix>:hosts. */
export async function hostsOf(redis: Redis, keys: Keys, host: string, allHosts: boolean): Promise<string[]> {
  return allHosts ? redis.zrange(keys.hosts, 0, -1) : [host]
}

/**
 * The hosts to read data of, each known to Redis: a host that never reported
 * is a ConfigError (exit 2) naming it, so that a typo in a script does not
 * look like "no data yet".
 */
export async function knownHostsOf(redis: Redis, keys: Keys, host: string, allHosts: boolean): Promise<string[]> {
  const hosts = await hostsOf(redis, keys, host, allHosts)
  if (allHosts) return hosts
  const seen = await redis.zscore(keys.hosts, host)
  if (seen === null) throw new ConfigError([`--host: no host named ${host} in Redis (monitor hosts lists them; a new host appears after its first monitor collect)`])
  return hosts
}

/** The active alerts of these hosts, with the fleet's alerts (host_silent) about them. */
export async function listAlerts(redis: Redis, keys: Keys, hosts: string[]): Promise<AlertJson[]> {
  return (await readActiveAlerts(redis, keys, hosts)).map(({host, state}) => alertJson(host, state)).sort(byUrgency)
}

/** Thrown when a key pattern cannot name one host: a usage error, not a Redis one. */
export class KeyPatternError extends Error {}

/**
 * Acknowledges the active alerts whose key matches `pattern` (a key or a
 * glob, host part written out) — the host's own and the fleet's about it
 * (host_silent): escalation stops for them. Returns the keys acknowledged.
 */
export async function acknowledge(redis: Redis, keys: Keys, pattern: string, comment: string, now: number): Promise<string[]> {
  const host = hostOfKey(pattern)
  if (!host || host.includes('*') || host.includes('?')) throw new KeyPatternError('the host part of the key must be written out')
  const matcher = globToRegExp(pattern)
  const by = whoAmI()
  const acked = await Promise.all([host, FLEET].map(async (scope) => {
    const matching = [...parseStates(await redis.hgetall(keys.alerts(scope)))].filter(([key]) => matcher.test(key))
    // The acknowledgement is its own record: check rewriting the state meanwhile cannot lose it.
    if (matching.length > 0) await redis.hset(keys.alertAcks(scope), Object.fromEntries(matching.map(([key, state]) => [key, ackRecord(state, now, by, comment)])))
    return matching.map(([key]) => key)
  }))
  return acked.flat().sort()
}

export async function addSilence(redis: Redis, keys: Keys, match: string, forS: number, reason: string, now: number): Promise<Silence> {
  const silence: Silence = {id: randomBytes(4).toString('hex'), match, until: now + forS * 1000, reason, createdBy: whoAmI(), createdAt: now}
  await redis.hset(keys.silences, silence.id, JSON.stringify(silence))
  return silence
}

/** Removes a silence; also prunes expired ones. Returns whether it existed. */
export async function removeSilence(redis: Redis, keys: Keys, id: string, now: number): Promise<boolean> {
  const removed = await redis.hdel(keys.silences, id)
  const expired = (await listSilences(redis, keys)).filter((silence) => silence.until <= now).map((silence) => silence.id)
  if (expired.length > 0) await redis.hdel(keys.silences, ...expired)
  return removed > 0
}

export async function listSilences(redis: Redis, keys: Keys): Promise<Silence[]> {
  return parseSilences(await redis.hgetall(keys.silences))
}

/** The alert transitions of these hosts since `sinceMs`, with the fleet's about them, oldest first. */
export async function history(redis: Redis, keys: Keys, hosts: string[], sinceMs: number): Promise<AlertEvent[]> {
  const events = await readHistory(redis, keys, [...hosts, FLEET], sinceMs)
  return events.filter((event) => hosts.includes(event.host))
}
