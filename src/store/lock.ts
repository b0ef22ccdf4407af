import {randomBytes} from 'node:crypto'

import type {Redis} from 'ioredis'

import {MonitorError} from '../cli/errors'
import {ExitCode} from '../cli/exit-codes'
import type {Config} from '../config/schema'

/** Deletes the lock only if it still holds our token: a lock that expired and was taken by another process is not ours to release. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`
/** Extends the lock only while it is still ours. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`

export class LockedError extends MonitorError {
  constructor(message: string) {
    super(message, ExitCode.locked)
  }
}

/**
 * Runs `work` holding a Redis lock (SET NX PX with an owner token). If
 * another process holds it, throws LockedError (exit 5) at once: a timer
 * that fires while the previous run is still busy should skip, not queue.
 * The TTL frees the lock of a process that died; while `work` runs, the lock
 * is renewed every third of its TTL, so a slow run keeps it and a killed one
 * blocks the stage for one TTL at most.
 */
export async function withLock<T>(redis: Redis, key: string, ttlMs: number, what: string, work: () => Promise<T>): Promise<T> {
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`
  const acquired = await redis.set(key, token, 'PX', ttlMs, 'NX')
  if (acquired !== 'OK') {
    const holder = await redis.get(key)
    const ttl = await redis.pttl(key)
    throw new LockedError(`another ${what} is running for this host (lock ${key} held by pid ${holder?.split('-')[0] ?? '?'}, free in ${Math.max(0, Math.ceil(ttl / 1000))} s at the latest)`)
  }
  const renewal = setInterval(() => void redis.eval(RENEW, 1, key, token, String(ttlMs)).catch(() => undefined), Math.max(1000, ttlMs / 3))
  renewal.unref()
  try {
    return await work()
  } finally {
    clearInterval(renewal)
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined)
  }
}

export type LockedStage = 'collect' | 'analyze' | 'check' | 'alert' | 'run' | 'prune'

/**
 * How long a stage's lock lives without renewal: two of the stage's
 * intervals (the basic interval for the every-run stages, the detailed one
 * for analyze), at least 10 s. The holder renews it while it works, so this
 * is the longest a killed process can block the stage. Prune runs daily:
 * two minutes.
 */
export function lockTtlMs(stage: LockedStage, config: Pick<Config, 'monitoring'>): number {
  const {basic, detailed} = config.monitoring.intervals
  const intervalS = stage === 'analyze' ? detailed : stage === 'prune' ? 60 : basic
  return Math.max(10_000, 2 * intervalS * 1000)
}
