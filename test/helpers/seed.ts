import type {Redis} from 'ioredis'

import type {Tier} from '../../src/config/schema'
import {keysFor} from '../../src/store/keys'
import {encodeFields} from '../../src/store/samples'

/**
 * Writes `points` samples of one tier, `stepS` apart and ending at `endMs`,
 * straight into the stream as `collect` would, and registers the host (one pipeline).
 */
export async function seedTier(redis: Redis, prefix: string, host: string, tier: Tier, points: number, stepS: number, endMs: number, seriesAt: (index: number) => Record<string, number>): Promise<void> {
  const keys = keysFor(prefix)
  const key = keys.samples(host, tier)
  const pipeline = redis.pipeline()
  pipeline.zadd(keys.hosts, endMs, host)
  for (let index = 0; index < points; index++) {
    const atMs = endMs - (points - 1 - index) * stepS * 1000
    pipeline.xadd(key, `${atMs}-0`, ...encodeFields({series: seriesAt(index), doc: {}}))
  }
  await pipeline.exec()
}
