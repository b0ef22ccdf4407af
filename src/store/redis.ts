import {readFileSync} from 'node:fs'

import IORedis, {type Redis, type RedisOptions} from 'ioredis'

import {ConfigError, RedisUnavailableError} from '../cli/errors'
import {redactUrl} from '../config/redact-url'

export interface RedisSettings {
  url: string
  connectTimeoutMs: number
  tlsCaFile?: string
}

/**
 * Opens one connection and waits until it is ready. Fails fast: no reconnect
 * loop and no offline queue, so an unreachable Redis becomes one
 * RedisUnavailableError (exit 3) naming the URL with its password hidden,
 * within `connectTimeoutMs` (+ the command timeout for a server that accepts
 * but never answers).
 */
export async function connectRedis({url, connectTimeoutMs, tlsCaFile}: RedisSettings): Promise<Redis> {
  const shownUrl = redactUrl(url)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ConfigError([`redis.url: not a valid URL: ${shownUrl}`])
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError([`redis.url: must start with redis:// or rediss://, got ${shownUrl}`])
  }
  const options: RedisOptions = {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    // After disconnect(), ioredis waits this long for the server to close its side before it
    // destroys the socket; a server that never answers would hold the process 2 s (the default).
    disconnectTimeout: 200,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
  }
  if (parsed.protocol === 'rediss:' && tlsCaFile) options.tls = {ca: readFileSync(tlsCaFile)}
  const redis = new IORedis(url, options)
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
    throw new RedisUnavailableError(`cannot reach Redis at ${shownUrl}: ${reason}`, {cause: error})
  } finally {
    clearTimeout(deadline)
  }
  // Set only now: a command timeout during the handshake would keep a timer (and the
  // process) alive for seconds after the deadline has already given up.
  redis.options.commandTimeout = Math.max(connectTimeoutMs, 5000)
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
