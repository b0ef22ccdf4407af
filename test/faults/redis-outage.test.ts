import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import IORedis from 'ioredis'

import {keysFor} from '../../src/store/keys'
import {readSamples} from '../../src/store/samples'

import {ROOT, runCli, writeConfig} from '../helpers/cli'
import {ownRedis} from '../helpers/redis-server'

const spoolFiles = (stateDir: string) => {
  try {
    return readdirSync(join(stateDir, 'spool')).filter((name) => name.endsWith('.json'))
  } catch {
    return []
  }
}

describe('fault: Redis goes away', () => {
  it('collect keeps its sample in the spool (exit 4) and the next run replays it with the original time', async () => {
    const redis = await ownRedis()
    const stateDir = mkdtempSync(join(tmpdir(), 'monitor-state-'))
    const env = {MONITOR_STATE_DIR: stateDir, MONITOR_REDIS_URL: redis.url}
    try {
      await redis.stop()
      const first = await runCli(['collect', '--host', 'outage', '--json'], env)
      assert.equal(first.code, 4, first.stderr)
      assert.match(first.stderr, /^monitor: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0: .*; the sample is kept in .*spool \(1 waiting\) and will be replayed\n$/)
      const second = await runCli(['collect', '--host', 'outage'], env)
      assert.equal(second.code, 4)
      assert.equal(spoolFiles(stateDir).length, 2)

      await redis.start()
      const back = await runCli(['collect', '--host', 'outage', '--json'], env)
      assert.equal(back.code, 0, back.stderr)
      assert.match(back.stderr, /replayed 2 spooled sample\(s\) into Redis/)
      assert.deepEqual(spoolFiles(stateDir), [])
      const client = new IORedis(redis.url)
      const entries = (await client.xrange('monitor:{outage}:samples:basic', '-', '+')) as [string, string[]][]
      const stored = await readSamples(client, keysFor('monitor'), 'outage', 'basic', 0)
      client.disconnect()
      assert.equal(entries.length, 3, 'two spooled and one new: nothing lost, nothing doubled')
      const times = entries.map(([id]) => Number(id.split('-')[0]))
      assert.deepEqual([...times].sort((a, b) => a - b), times, 'oldest first')
      assert.equal(times[2], Date.parse(JSON.parse(back.stdout).at))
      assert.equal(typeof stored[1]?.series['cpu.percent'], 'number', 'the second offline sample has rates from the locally kept counters')
    } finally {
      await redis.stop()
    }
  })

  it('run --watch spools while Redis is down and replays when it is back, losing no cycle', async () => {
    const redis = await ownRedis()
    const stateDir = mkdtempSync(join(tmpdir(), 'monitor-state-'))
    const config = writeConfig('monitoring:\n  intervals: {basic: 1, detailed: 60, extended: 300}\n')
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'run', '--watch', '--config', config, '--redis-url', redis.url, '--host', 'flaky'], {env: {...process.env, MONITOR_STATE_DIR: stateDir, NO_COLOR: '1'}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const cycles = () => (stdout.match(/\n/g) ?? []).length + (stderr.match(/collected basic(, [a-z]+)* into/g) ?? []).length
    try {
      await until(() => cycles() >= 2)
      await redis.stop()
      await until(() => (stderr.match(/into .*spool/g) ?? []).length >= 2)
      await redis.start()
      const spooled = (stderr.match(/into .*spool/g) ?? []).length
      const before = (stdout.match(/\n/g) ?? []).length
      await until(() => (stdout.match(/\n/g) ?? []).length >= before + 2)
      child.kill('SIGTERM')
      assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0, stderr)
      const client = new IORedis(redis.url)
      const ids = ((await client.xrange('monitor:{flaky}:samples:basic', '-', '+')) as [string, string[]][]).map(([id]) => id)
      client.disconnect()
      const written = (stdout.match(/collected [a-z+]*basic/g) ?? []).length
      assert.equal(ids.length, written + spooled, `every cycle is in Redis: ${written} written + ${spooled} spooled`)
      assert.equal(new Set(ids).size, ids.length)
      assert.deepEqual(spoolFiles(stateDir), [])
    } finally {
      child.kill('SIGKILL')
      await redis.stop()
    }
  })

  it('a corrupt spool file is set aside with a warning; the rest is replayed', async () => {
    const redis = await ownRedis()
    const stateDir = mkdtempSync(join(tmpdir(), 'monitor-state-'))
    const env = {MONITOR_STATE_DIR: stateDir, MONITOR_REDIS_URL: redis.url}
    try {
      await redis.stop()
      await runCli(['collect', '--host', 'torn'], env)
      mkdirSync(join(stateDir, 'spool'), {recursive: true})
      writeFileSync(join(stateDir, 'spool', '000000000000001-torn-1-deadbeef.json'), '{"version":1,"atMs":')
      await redis.start()
      const result = await runCli(['collect', '--host', 'torn'], env)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /spool entry 000000000000001-torn-1-deadbeef\.json is not valid: moved to .*spool\/corrupt\//)
      assert.match(result.stderr, /replayed 1 spooled sample/)
      assert.deepEqual(readdirSync(join(stateDir, 'spool', 'corrupt')), ['000000000000001-torn-1-deadbeef.json'])
    } finally {
      await redis.stop()
    }
  })

  it('the spool is bounded: the oldest entries go, and it says so', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'monitor-state-'))
    const config = writeConfig('spool:\n  max_entries: 2\nredis:\n  connect_timeout: 500ms\n')
    const env = {MONITOR_STATE_DIR: stateDir, MONITOR_REDIS_URL: 'redis://127.0.0.1:1/0', MONITOR_CONFIG: config}
    for (let run = 0; run < 3; run++) await runCli(['collect', '--host', 'bounded'], env)
    assert.equal(spoolFiles(stateDir).length, 2)
    const fourth = await runCli(['collect', '--host', 'bounded'], env)
    assert.match(fourth.stderr, /the spool is full \(2 entries\): dropped the 1 oldest/)
  })

  it('five collections at once while Redis is down each keep their own entry', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'monitor-state-'))
    const env = {MONITOR_STATE_DIR: stateDir, MONITOR_REDIS_URL: 'redis://127.0.0.1:1/0'}
    const results = await Promise.all(Array.from({length: 5}, () => runCli(['collect', '--host', 'crowd'], env)))
    assert.deepEqual(results.map((result) => result.code), [4, 4, 4, 4, 4])
    assert.equal(spoolFiles(stateDir).length, 5)
  })
})
