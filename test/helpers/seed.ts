import type {Redis} from 'ioredis'

import type {Tier} from '../../src/config/schema'
import {type Keys, keysFor} from '../../src/store/keys'
import {queueSample} from '../../src/store/samples'

/**
 * Writes `points` samples of one tier, `stepS` apart and ending at `endMs`,
 * into the stream as `collect` does, and registers the host (one pipeline).
 */
export async function seedTier(redis: Redis, prefix: string, host: string, tier: Tier, points: number, stepS: number, endMs: number, seriesAt: (index: number) => Record<string, number>): Promise<void> {
  const keys = keysFor(prefix)
  const pipeline = redis.pipeline()
  pipeline.zadd(keys.hosts, endMs, host)
  for (let index = 0; index < points; index++) {
    const atMs = endMs - (points - 1 - index) * stepS * 1000
    queueSample(pipeline, keys, host, {tier, atMs, series: seriesAt(index), doc: {}}, {id: `${atMs}-0`})
  }
  await pipeline.exec()
}

/** Writes one sample as `collect` does (its schema, then the entry), with the id `<atMs>-*`. */
export async function writeSample(redis: Redis, keys: Keys, host: string, tier: Tier, atMs: number, series: Record<string, number>, doc: Record<string, unknown> = {}): Promise<void> {
  const multi = redis.multi()
  queueSample(multi, keys, host, {tier, atMs, series, doc})
  const replies = (await multi.exec()) ?? []
  const failed = replies.find(([error]) => error)
  if (failed) throw failed[0]
}
