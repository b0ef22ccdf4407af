import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {ROOT, runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'

const FIXTURES = join(__dirname, '..', 'fixtures')

describe('monitor run', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let config: string

  before(async () => {
    ({redis, url, prefix, cleanup} = await testRedis())
    config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
  })
  after(() => cleanup())

  it('collects every tier on an empty Redis, then only what is due', async () => {
    const env = {MONITOR_PROC_ROOT: join(FIXTURES, 'host-a', 'proc'), MONITOR_SYS_ROOT: join(FIXTURES, 'host-a', 'sys')}
    const first = await runCli(['run', '--json', '--config', config, '--redis-url', url, '--host', 'fresh'], env)
    assert.equal(first.code, 0, first.stderr)
    const result = JSON.parse(first.stdout)
    assert.deepEqual(result.collected, ['basic', 'detailed', 'extended'])
    assert.ok(result.analysis, 'analyzed on the first run')
    assert.deepEqual(Object.keys(result.notifications), ['queued', 'delivered', 'retrying', 'dead', 'waiting'])
    const second = JSON.parse((await runCli(['run', '--json', '--config', config, '--redis-url', url, '--host', 'fresh'], env)).stdout)
    assert.deepEqual(second.collected, [])
    assert.equal(second.analysis, null)
    // 11 s later basic is due again, the others are not
    await redis.hset(`${prefix}:{fresh}:meta`, 'last:basic', String(Date.now() - 11_000))
    const thirdRun = await runCli(['run', '--json', '--verbose', '--config', config, '--redis-url', url, '--host', 'fresh'], env)
    const third = JSON.parse(thirdRun.stdout)
    assert.deepEqual(third.collected, ['basic'])
    assert.match(thirdRun.stderr, /debug: run fresh: due basic; last collections basic 1\d s ago, detailed \d+ s ago, extended \d+ s ago/, '--verbose says what was due')
    assert.equal(await redis.xlen(`${prefix}:{fresh}:samples:basic`), 2)
    assert.equal(await redis.xlen(`${prefix}:{fresh}:samples:extended`), 1)
  })

  it('--watch runs a cycle every basic interval and stops cleanly on SIGTERM', async () => {
    const watchConfig = writeConfig(`redis:\n  prefix: ${prefix}\nmonitoring:\n  intervals: {basic: 1, detailed: 60, extended: 300}\n`)
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'run', '--watch', '--config', watchConfig, '--redis-url', url, '--host', 'watched'], {env: {...process.env, NO_COLOR: '1'}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if ((stdout.match(/\n/g) ?? []).length >= 3) {
          clearInterval(poll)
          resolve()
        }
      }, 50)
    })
    const stopped = Date.now()
    child.kill('SIGTERM')
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    assert.equal(code, 0, stderr)
    assert.ok(Date.now() - stopped < 1500, 'stops within the cycle in progress')
    assert.match(stderr, /SIGTERM: finishing the step in progress, then stopping/)
    const lines = stdout.trim().split('\n')
    assert.match(lines[0] ?? '', /watched: collected basic\+detailed\+extended/)
    assert.match(lines[1] ?? '', /watched: collected basic;/)
    assert.ok((await redis.xlen(`${prefix}:{watched}:samples:basic`)) >= 3)
  })
})
