import type {Redis} from 'ioredis'

import type {Logger} from '../cli/log'
import {parseStates} from '../store/alerts'
import {type Config, type Tier, TIERS} from '../config/schema'
import {FLEET, type Keys} from '../store/keys'
import {orEmpty} from '../store/replies'
import {readLatestSample} from '../store/samples'

export type HostHealth = 'up' | 'stale' | 'silent'

export interface HostStatus {
  host: string
  status: HostHealth
  lastSeen: string | null
  lastByTier: Record<Tier, string | null>
  alerts: {firing: number; pending: number}
  os: string | null
  /** Newest core values from the basic tier. */
  cpuPercent: number | null
  memoryPercent: number | null
  diskUsedPercentMax: number | null
}

/** up: reported within three basic intervals; silent: not for rules.host_silent.after; stale in between. Pure. */
export function healthOf(lastSeenMs: number | null, config: Config, now: number): HostHealth {
  if (lastSeenMs === null) return 'silent'
  const ageMs = now - lastSeenMs
  if (ageMs <= 3 * config.monitoring.intervals.basic * 1000) return 'up'
  return ageMs > config.rules.host_silent.after * 1000 ? 'silent' : 'stale'
}

const iso = (ms: string | undefined): string | null => (ms && Number.isFinite(Number(ms)) ? new Date(Number(ms)).toISOString() : null)

/** Every host in Redis with its health, alert counts and newest core values. Commands are issued together (auto-pipelined). */
export async function listHosts({redis, keys, config, now, log}: {redis: Redis; keys: Keys; config: Config; now: number; log?: Logger}): Promise<HostStatus[]> {
  const [seen, fleetAlerts] = await Promise.all([redis.zrange(keys.hosts, 0, -1, 'WITHSCORES'), redis.hgetall(keys.alerts(FLEET))])
  const hosts: [string, number][] = []
  for (let index = 0; index + 1 < seen.length; index += 2) hosts.push([seen[index] as string, Number(seen[index + 1])])
  log?.debug(`${hosts.length} host(s) in ${keys.hosts}`)
  // The fleet's alerts (host_silent) name the host they are about: parsed once, not once per host.
  const fleetStates = [...parseStates(fleetAlerts).values()]
  return Promise.all(hosts.map(async ([host, lastSeenMs]): Promise<HostStatus> => {
    const [meta, alerts, newest] = await Promise.all([
      orEmpty(redis.hgetall(keys.meta(host)), keys.meta(host), undefined, {} as Record<string, string>),
      orEmpty(redis.hgetall(keys.alerts(host)), keys.alerts(host), undefined, {} as Record<string, string>),
      readLatestSample(redis, keys, host, 'basic'),
    ])
    const states = [...parseStates(alerts).values(), ...fleetStates.filter((state) => state.labels.host === host)]
    log?.debug(`${host}: last seen ${Math.round((now - lastSeenMs) / 1000)} s ago, ${states.length} active alert(s), newest basic sample ${newest ? new Date(newest.atMs).toISOString() : 'none'}`)
    const series = newest?.series ?? {}
    const disks = Object.entries(series).filter(([name]) => name.startsWith('disk.used_percent')).map(([, value]) => value)
    let os: string | null = null
    try {
      os = meta.facts ? (JSON.parse(meta.facts) as {os?: string}).os ?? null : null
    } catch {
      os = null
    }
    return {
      host,
      status: healthOf(lastSeenMs, config, now),
      lastSeen: new Date(lastSeenMs).toISOString(),
      lastByTier: Object.fromEntries(TIERS.map((tier) => [tier, iso(meta[`last:${tier}`])])) as Record<Tier, string | null>,
      alerts: {firing: states.filter((state) => state.state === 'firing').length, pending: states.filter((state) => state.state === 'pending').length},
      os,
      cpuPercent: series['cpu.percent'] ?? null,
      memoryPercent: series['memory.percent'] ?? null,
      diskUsedPercentMax: disks.length > 0 ? Math.max(...disks) : null,
    }
  }))
}
