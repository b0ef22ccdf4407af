import {randomBytes} from 'node:crypto'
import {userInfo} from 'node:os'

import type {Redis} from 'ioredis'

import type {AlertState} from '../rules/state'
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

/** The active alerts of these hosts, with the fleet's alerts (host_silent) about them. */
export async function listAlerts(redis: Redis, keys: Keys, hosts: string[]): Promise<AlertJson[]> {
  const scopes = [...hosts, FLEET]
  const replies = await Promise.all(scopes.map((host) => redis.hgetall(keys.alerts(host))))
  return scopes.flatMap((scope, index) => Object.values(replies[index] ?? {}).flatMap((json) => {
    try {
      const state = JSON.parse(json) as AlertState
      const host = scope === FLEET ? state.labels.host ?? scope : scope
      return hosts.includes(host) ? [alertJson(host, state)] : []
    } catch {
      return []
    }
  })).sort(byUrgency)
}

/** The host an alert key belongs to: its first segment (`web1/disk/…`). */
export const hostOfKey = (key: string): string => key.split('/')[0] ?? ''

/**
 * Acknowledges the active alerts whose key matches `pattern` (a key or a
 * glob): escalation stops for them. Returns the keys acknowledged.
 */
export async function acknowledge(redis: Redis, keys: Keys, pattern: string, comment: string, now: number): Promise<string[]> {
  const host = hostOfKey(pattern)
  if (host.includes('*') || host.includes('?')) throw new Error('the host part of the key must be written out')
  const matcher = globToRegExp(pattern)
  const raw = await redis.hgetall(keys.alerts(host))
  const acked: string[] = []
  const multi = redis.multi()
  for (const [key, json] of Object.entries(raw)) {
    if (!matcher.test(key)) continue
    const state = JSON.parse(json) as AlertState
    multi.hset(keys.alerts(host), key, JSON.stringify({...state, acknowledged: {at: now, by: whoAmI(), comment}}))
    acked.push(key)
  }
  if (acked.length > 0) await multi.exec()
  return acked
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
  return Object.values(await redis.hgetall(keys.silences)).flatMap((json) => {
    try {
      return [JSON.parse(json) as Silence]
    } catch {
      return []
    }
  })
}

export async function history(redis: Redis, keys: Keys, hosts: string[], sinceMs: number): Promise<AlertEvent[]> {
  const replies = (await Promise.all(hosts.map((host) => redis.xrange(keys.alertLog(host), String(sinceMs), '+')))) as [string, string[]][][]
  return hosts.flatMap((_host, index) => (replies[index] ?? []).flatMap(([id, fields]) => {
    try {
      return [{...(JSON.parse(fields[fields.indexOf('event') + 1] ?? '') as AlertEvent), id}]
    } catch {
      return []
    }
  })).sort((a, b) => a.at - b.at)
}
