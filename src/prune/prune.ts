import type {Redis} from 'ioredis'

import {type Config, TIERS} from '../config/schema'
import {FLEET, type Keys} from '../store/keys'
import {lockTtlMs, withLock} from '../store/lock'

export interface PruneResult {
  dryRun: boolean
  /** Entries removed (or that would be) per host and stream. */
  streams: {host: string; stream: string; removed: number}[]
  deadLetters: number
  silences: number
  /** Sample schemas and texts (monitor:{host}:schemas) no entry within retention can use any more. */
  schemas: number
  /** Hosts not seen for monitoring.forget_hosts_after, with every key they had. */
  forgottenHosts: string[]
}

/** The per-host keys a forgotten host leaves behind. */
const hostKeys = (keys: Keys, host: string): string[] => [
  ...TIERS.map((tier) => keys.samples(host, tier)), keys.schemas(host), keys.schemasUsed(host), keys.counters(host), keys.meta(host), keys.analysis(host), keys.analysisHistory(host), keys.analysisProfile(host),
  keys.alerts(host), keys.alertAcks(host), keys.alertLog(host), keys.alertCursor(host), keys.alertSent(host), keys.alertQueue(host),
]

/** Cut-offs (ms) of every stream a host has, from the configuration. Pure. */
export function cutoffs(keys: Keys, host: string, config: Config, now: number): {stream: string; key: string; beforeMs: number}[] {
  return [
    ...TIERS.map((tier) => ({stream: `samples:${tier}`, key: keys.samples(host, tier), beforeMs: now - config.monitoring.retention[tier] * 1000})),
    {stream: 'alerts:log', key: keys.alertLog(host), beforeMs: now - config.alerts.log_retention * 1000},
    {stream: 'analysis:history', key: keys.analysisHistory(host), beforeMs: now - config.analysis.history_retention * 1000},
  ]
}

/**
 * Drops the schemas and texts last used before ARGV[1] (ms), atomically: a
 * collect that reuses one in the meantime either lands before (and keeps it)
 * or after (and writes it again).
 */
const DROP_SCHEMAS = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
for _, id in ipairs(ids) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
return #ids`

/**
 * Applies retention exactly (collect trims approximately): every entry older
 * than its stream's retention goes and nothing newer; dead letters and
 * expired silences past their age; hosts not seen for forget_hosts_after,
 * with all their keys. With dryRun, counts what would go and changes nothing.
 */
export async function prune(options: {redis: Redis; keys: Keys; config: Config; now: number; dryRun?: boolean}): Promise<PruneResult> {
  return withLock(options.redis, options.keys.globalLock('prune'), lockTtlMs('prune', options.config), 'prune', () => pruneUnlocked(options))
}

async function pruneUnlocked({redis, keys, config, now, dryRun = false}: {redis: Redis; keys: Keys; config: Config; now: number; dryRun?: boolean}): Promise<PruneResult> {
  const seen = await redis.zrange(keys.hosts, 0, -1, 'WITHSCORES')
  const hosts: {host: string; lastSeen: number}[] = []
  for (let index = 0; index + 1 < seen.length; index += 2) hosts.push({host: seen[index] as string, lastSeen: Number(seen[index + 1])})
  const forgetBefore = config.monitoring.forget_hosts_after > 0 ? now - config.monitoring.forget_hosts_after * 1000 : Number.NEGATIVE_INFINITY
  const forgotten = hosts.filter((entry) => entry.lastSeen < forgetBefore).map((entry) => entry.host)
  const kept = hosts.filter((entry) => entry.lastSeen >= forgetBefore).map((entry) => entry.host)

  const plan = [...kept, FLEET].flatMap((host) => cutoffs(keys, host, config, now).filter((cut) => host !== FLEET || cut.stream === 'alerts:log').map((cut) => ({host, ...cut})))
  // XTRIM MINID (exact) removes ids below the cut-off; counting those ids first gives the dry-run figure.
  // One command per key, issued together (auto-pipelined, and fine on a Redis Cluster).
  const deadBefore = now - config.alerts.deadletter_retention * 1000
  const count = (reply: unknown) => (Array.isArray(reply) ? reply.length : Number(reply))
  // A schema or text last used before the longest retention serves no entry that is kept.
  const schemasBefore = now - Math.max(...TIERS.map((tier) => config.monitoring.retention[tier])) * 1000
  const [trimmed, dead, silences, schemas] = await Promise.all([
    Promise.all(plan.map(({key, beforeMs}) => (dryRun ? redis.xrange(key, '-', `(${beforeMs}-0`) : redis.xtrim(key, 'MINID', String(beforeMs))))),
    dryRun ? redis.zcount(keys.deadletter, '-inf', `(${deadBefore}`) : redis.zremrangebyscore(keys.deadletter, '-inf', `(${deadBefore}`),
    redis.hgetall(keys.silences),
    Promise.all(kept.map((host) => (dryRun ? redis.zcount(keys.schemasUsed(host), '-inf', `(${schemasBefore}`) : redis.eval(DROP_SCHEMAS, 2, keys.schemas(host), keys.schemasUsed(host), String(schemasBefore))))),
  ])
  const streams = plan.map(({host, stream}, index) => ({host, stream, removed: count(trimmed[index])}))
  const deadLetters = count(dead)
  const expired = Object.entries(silences).filter(([, json]) => {
    try {
      return (JSON.parse(json) as {until: number}).until <= now
    } catch {
      return true
    }
  }).map(([id]) => id)

  if (!dryRun) {
    if (expired.length > 0) await redis.hdel(keys.silences, ...expired)
    // A host's keys share its hash slot: one DEL each. The hosts entry goes last, so that a
    // crash in between leaves the host listed (and pruned again next time), never orphaned keys.
    for (const host of forgotten) {
      await redis.del(...hostKeys(keys, host))
      await redis.zrem(keys.hosts, host)
    }
  }
  return {dryRun, streams: streams.filter((entry) => entry.removed > 0), deadLetters, silences: expired.length, schemas: schemas.reduce<number>((sum, count) => sum + Number(count), 0), forgottenHosts: forgotten}
}
