import {randomBytes} from 'node:crypto'

import type {Redis} from 'ioredis'

import {MonitorError} from '../cli/errors'
import {ExitCode} from '../cli/exit-codes'

/** Deletes the lock only if it still holds our token: a lock that expired and was taken by another process is not ours to release. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`

export class LockedError extends MonitorError {
  constructor(message: string) {
    super(message, ExitCode.locked)
  }
}

/**
 * Runs `work` holding a Redis lock (SET NX PX with an owner token). If
 * another process holds it, throws LockedError (exit 5) at once: a timer
 * that fires while the previous run is still busy should skip, not queue.
 * The TTL frees the lock of a process that died.
 */
export async function withLock<T>(redis: Redis, key: string, ttlMs: number, what: string, work: () => Promise<T>): Promise<T> {
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`
  const acquired = await redis.set(key, token, 'PX', ttlMs, 'NX')
  if (acquired !== 'OK') {
    const holder = await redis.get(key)
    const ttl = await redis.pttl(key)
    throw new LockedError(`another ${what} is running for this host (lock ${key} held by pid ${holder?.split('-')[0] ?? '?'}, free in ${Math.max(0, Math.ceil(ttl / 1000))} s at the latest)`)
  }
  try {
    return await work()
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined)
  }
}

/** How long each stage may hold its lock before it is considered dead. */
export const LOCK_TTL_MS = {collect: 30_000, analyze: 120_000, check: 30_000, alert: 300_000, run: 600_000, prune: 600_000} as const
