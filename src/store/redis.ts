import {readFileSync} from 'node:fs'

import IORedis, {type Redis, type RedisOptions} from 'ioredis'

import {ConfigError, RedisUnavailableError} from '../cli/errors'
import {redactUrl} from '../config/redact-url'

export interface RedisSettings {
  url: string
  connectTimeoutMs: number
  tlsCaFile?: string
  /** Redis Cluster nodes (any of them; the rest are discovered). */
  cluster?: string[]
  /** Sentinels, and the name of the primary they watch. */
  sentinels?: string[]
  name?: string
}

function parseRedisUrl(url: string, key: string): URL {
  const shown = redactUrl(url)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ConfigError([`${key}: not a valid URL: ${shown}`])
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError([`${key}: must start with redis:// or rediss://, got ${shown}`])
  return parsed
}

const node = (url: URL) => ({host: url.hostname, port: Number(url.port || 6379)})

/**
 * Opens a connection — one server (`url`), a Redis Cluster (`cluster`) or a
 * Sentinel-managed primary (`sentinels` + `name`) — and waits until it is
 * ready. Fails fast: no reconnect loop, so an unreachable Redis becomes one
 * RedisUnavailableError (exit 3) naming it with passwords hidden, within
 * `connectTimeoutMs`. Auto-pipelining batches commands issued together into
 * one round trip per node, so independent reads need no explicit pipeline
 * (which a Cluster could not run across slots).
 */
export async function connectRedis({url, connectTimeoutMs, tlsCaFile, cluster = [], sentinels = [], name}: RedisSettings): Promise<Redis> {
  const primary = parseRedisUrl(url, 'redis.url')
  const tls = primary.protocol === 'rediss:' || [...cluster, ...sentinels].some((entry) => entry.startsWith('rediss:'))
    ? (tlsCaFile ? {ca: readFileSync(tlsCaFile)} : {})
    : undefined
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    // After disconnect(), ioredis waits this long for the server to close its side before it
    // destroys the socket; a server that never answers would hold the process 2 s (the default).
    disconnectTimeout: 200,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableAutoPipelining: true,
    ...(tls ? {tls} : {}),
  }
  let redis: Redis
  let shown: string
  if (cluster.length > 0) {
    const nodes = cluster.map((entry, index) => parseRedisUrl(entry, `redis.cluster[${index}]`))
    const first = nodes[0] as URL
    shown = `cluster ${cluster.map((entry) => redactUrl(entry)).join(', ')}`
    redis = new IORedis.Cluster(nodes.map(node), {
      lazyConnect: true,
      enableAutoPipelining: true,
      clusterRetryStrategy: () => null,
      slotsRefreshTimeout: connectTimeoutMs,
      redisOptions: {...common, username: decodeURIComponent(first.username) || undefined, password: decodeURIComponent(first.password) || undefined},
    }) as unknown as Redis
  } else if (sentinels.length > 0) {
    const parsed = sentinels.map((entry, index) => parseRedisUrl(entry, `redis.sentinels[${index}]`))
    shown = `sentinels ${sentinels.map((entry) => redactUrl(entry)).join(', ')} (primary ${name ?? 'mymaster'})`
    redis = new IORedis({
      ...common,
      enableOfflineQueue: false,
      sentinels: parsed.map(node),
      name: name ?? 'mymaster',
      sentinelPassword: decodeURIComponent(parsed[0]?.password ?? '') || undefined,
      sentinelRetryStrategy: () => null,
      username: decodeURIComponent(primary.username) || undefined,
      password: decodeURIComponent(primary.password) || undefined,
      db: Number(primary.pathname.slice(1) || 0),
    })
  } else {
    shown = redactUrl(url)
    redis = new IORedis(url, {...common, enableOfflineQueue: false})
  }
  let lastError: Error | undefined
  redis.on('error', (error: Error) => {
    lastError = error
  })
  // One deadline for the whole handshake: TCP connect, AUTH and the ready check. A server
  // that accepts but never answers would otherwise hold us for several command timeouts.
  let deadline: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    deadline = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs)
  })
  try {
    await Promise.race([redis.connect(), timedOut])
  } catch (error) {
    redis.disconnect()
    const reason = (lastError ?? (error as Error)).message
    throw new RedisUnavailableError(`cannot reach Redis at ${shown}: ${reason}`, {cause: error})
  } finally {
    clearTimeout(deadline)
  }
  // ioredis reports a failed SELECT only as an error event and carries on in database 0:
  // `redis://…/21` on a stock Redis (16 databases) would silently write elsewhere.
  if (lastError?.message.includes('DB index is out of range')) {
    redis.disconnect()
    throw new ConfigError([`${shown}: database ${primary.pathname.slice(1)} does not exist on this server (a stock Redis has 16, numbered 0–15): use one of those, or raise "databases" in redis.conf`])
  }
  // Set only now: a command timeout during the handshake would keep a timer (and the
  // process) alive for seconds after the deadline has already given up.
  if (redis.options) redis.options.commandTimeout = Math.max(connectTimeoutMs, 5000)
  return redis
}

/** Wraps an error thrown by a Redis command into the one-line form users see. */
export function asRedisError(error: unknown, url: string): unknown {
  if (!(error instanceof Error) || error instanceof RedisUnavailableError) return error
  const name = error.constructor.name
  if (name === 'ReplyError' || /Connection is closed|ECONNRESET|ETIMEDOUT|Command timed out|Stream isn't writeable/.test(error.message)) {
    return new RedisUnavailableError(`Redis at ${redactUrl(url)} failed: ${error.message}`, {cause: error})
  }
  return error
}
