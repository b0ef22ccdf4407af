import type {Redis} from 'ioredis'

import {formatDuration} from '../cli/format'
import type {Logger} from '../cli/log'
import type {Config} from '../config/schema'
import {alertKey} from '../rules/alert-key'
import {advance, type AlertState, clear, type Observation} from '../rules/state'
import {appendEvents, parseStates, writeStates} from '../store/alerts'
import {FLEET, type Keys} from '../store/keys'
import {LockedError, lockTtlMs, withLock} from '../store/lock'
import type {AlertEvent} from './notification'

/**
 * host_silent: one observation per host in `<prefix>:hosts`, severe when
 * its last report is older than rules.host_silent.after. Pure.
 */
export function silentObservations(lastSeen: Map<string, number>, config: Config, now: number): Observation[] {
  const {after, severity, enabled} = config.rules.host_silent
  if (!enabled) return []
  return [...lastSeen].map(([host, seenMs]) => {
    const ageS = Math.max(0, Math.round((now - seenMs) / 1000))
    return {
      key: alertKey(host, 'host_silent', host), rule: 'host_silent', series: 'host.seconds_since_report', labels: {host},
      value: ageS, severity: ageS > after ? severity : null, forS: 0,
      summary: `${host} has not reported for ${formatDuration(ageS)}`,
    }
  })
}

/**
 * The fleet check, run by any host's `check`: advances the host_silent
 * alerts, kept in the fleet scope so that the silent host's own (dead)
 * processes are not needed. Under a global lock: when another host's check
 * holds it, this one skips (returns undefined), so one alert is never judged
 * or sent twice.
 */
export async function checkFleet({redis, keys, config, log, now}: {redis: Redis; keys: Keys; config: Config; log: Logger; now: number}): Promise<{events: AlertEvent[]} | undefined> {
  try {
    return await withLock(redis, keys.lock(FLEET, 'check'), lockTtlMs('check', config), 'fleet check', async () => {
      const [seen, stored] = await Promise.all([redis.zrange(keys.hosts, 0, -1, 'WITHSCORES'), redis.hgetall(keys.alerts(FLEET))])
      const lastSeen = new Map<string, number>()
      for (let index = 0; index + 1 < seen.length; index += 2) lastSeen.set(seen[index] as string, Number(seen[index + 1]))
      const observations = new Map(silentObservations(lastSeen, config, now).map((observation) => [observation.key, observation]))
      const states = parseStates(stored, (field) => log.warn(`skipped alert ${field} of ${keys.alerts(FLEET)}: malformed state`))
      const next = new Map<string, AlertState>()
      const events: AlertEvent[] = []
      for (const key of new Set([...states.keys(), ...observations.keys()])) {
        const observation = observations.get(key)
        const previous = states.get(key)
        // The event names the silent host, so that its notification says which machine went quiet.
        const host = observation?.labels.host ?? previous?.labels.host ?? FLEET
        // A host no longer in <prefix>:hosts was forgotten by prune: its alert ends.
        const advanced = observation ? advance(host, previous, observation, now) : clear(host, previous as AlertState, now)
        if (advanced.next) next.set(key, advanced.next)
        events.push(...advanced.events)
      }
      const multi = redis.multi()
      writeStates(multi, keys, FLEET, states, next)
      appendEvents(multi, keys, FLEET, events)
      await multi.exec()
      return {events}
    })
  } catch (error) {
    if (error instanceof LockedError) {
      log.debug('fleet check: another host is doing it')
      return undefined
    }
    throw error
  }
}
