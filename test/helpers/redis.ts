import {randomBytes} from 'node:crypto'

import IORedis, {type Redis} from 'ioredis'

/** The suite's one redis-server, started by scripts/test.mjs. */
export function testRedisUrl(): string {
  const url = process.env.MONITOR_TEST_REDIS_URL
  if (!url) throw new Error('MONITOR_TEST_REDIS_URL is not set: run the tests with `npm test` (scripts/test.mjs starts Redis)')
  return url
}

/** A connection plus a key prefix no other test uses; `cleanup` deletes the prefix's keys. */
export async function testRedis(): Promise<{redis: Redis; prefix: string; url: string; cleanup: () => Promise<void>}> {
  const url = testRedisUrl()
  const redis = new IORedis(url, {lazyConnect: true, maxRetriesPerRequest: 1})
  await redis.connect()
  const prefix = `t${randomBytes(4).toString('hex')}`
  return {
    redis,
    prefix,
    url,
    async cleanup() {
      const keys = await redis.keys(`${prefix}:*`)
      if (keys.length > 0) await redis.del(...keys)
      redis.disconnect()
    },
  }
}
