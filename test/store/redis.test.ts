import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {runCli} from '../helpers/cli'
import {testRedis} from '../helpers/redis'

describe('the Redis URL', () => {
  it('a database the server does not have is a configuration error, not a silent write to database 0', async () => {
    const {redis, prefix, cleanup} = await testRedis()
    try {
      const port = process.env.MONITOR_TEST_REDIS_PORT
      const result = await runCli(['alerts', 'silence', '--match', 'x/*', '--for', '1h', '--reason', 'test', '--redis-url', `redis://127.0.0.1:${port}/21`], {MONITOR_CONFIG: undefined})
      assert.equal(result.code, 2, result.stderr)
      assert.equal(result.stderr, `monitor: redis://127.0.0.1:${port}/21: database 21 does not exist on this server (a stock Redis has 16, numbered 0–15): use one of those, or raise "databases" in redis.conf\n`)
      assert.equal(await redis.exists('monitor:silences'), 0, 'nothing was written to database 0')
      assert.ok(prefix)
    } finally {
      await cleanup()
    }
  })
})
