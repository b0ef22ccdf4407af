/**
 * The forecast as a user meets it: a disk filling toward its warning level,
 * `analyze`, `check` and `alert` run as whole processes once a minute with
 * the clock moved by libfaketime, and the email a real SMTP server receives.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {keysFor} from '../../src/store/keys'
import {runCli, writeConfig} from '../helpers/cli'
import {startSmtp} from '../helpers/receivers'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const MIN = 60_000
const DISK = 'disk.used_percent{mount="/"}'
/** 24 points an hour: 60 % at T0, the warning level (80) 50 minutes later; ± 0.1 of alternating noise. */
const disk = (atMs: number) => 60 + (24 * (atMs - T0)) / 3_600_000 + ((atMs / 10_000) % 2 ? 0.1 : -0.1)

describe('a filling disk, with the clock moved by libfaketime', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let config: string

  before(async () => {
    ;({redis, url, prefix, cleanup} = await testRedis())
    smtp = await startSmtp()
    config = writeConfig(`redis:\n  prefix: ${prefix}\nalerts:\n  throttling: {grouping_window: 0}\n  channels:\n    email: {recipients: [admin@example.com], smtp_url: "smtp://127.0.0.1:${smtp.port}"}\n`)
    // Six hours of history up to T0: the basic tier every 10 s for the last hour, the detailed tier every minute.
    await reported(T0 - 6 * 60 * MIN, T0)
  })
  after(async () => {
    await smtp.close()
    await cleanup()
  })

  /** The samples collect would have written in (fromMs, toMs]. */
  async function reported(fromMs: number, toMs: number): Promise<void> {
    const keys = keysFor(prefix)
    for (let atMs = fromMs + 10_000; atMs <= toMs; atMs += 10_000) {
      if (atMs > toMs - 60 * MIN) await writeSample(redis, keys, 'filling', 'basic', atMs, {[DISK]: disk(atMs)})
      if (atMs % MIN === 0) await writeSample(redis, keys, 'filling', 'detailed', atMs, {[DISK]: disk(atMs)})
    }
  }

  /** One minute as the timers run it: analyze, then check, then alert, each its own process a moment apart. */
  async function minute(atMs: number): Promise<void> {
    for (const [stage, offsetMs] of [['analyze', 0], ['check', 2000], ['alert', 4000]] as const) {
      const result = await runCli([stage, '--config', config, '--redis-url', url, '--host', 'filling'], {}, undefined, undefined, atMs + offsetMs)
      assert.equal(result.code, 0, `${stage} at ${new Date(atMs).toISOString()}: ${result.stderr}`)
    }
  }

  it('forecasts the crossing, waits rules.forecast.for (2 min) before it fires, then emails it once', async () => {
    await minute(T0)
    await reported(T0, T0 + MIN)
    await minute(T0 + MIN)
    assert.equal(smtp.mails.length, 0, 'pending while the forecast has held for less than 2 minutes')
    await reported(T0 + MIN, T0 + 2 * MIN)
    await minute(T0 + 2 * MIN)
    await reported(T0 + 2 * MIN, T0 + 3 * MIN)
    await minute(T0 + 3 * MIN)
    assert.equal(smtp.mails.length, 1)
    assert.match(smtp.mails[0]?.subject ?? '', /^\[monitor\] WARNING filling: disk\.used_percent\{mount="\/"\} will cross warning \(80\) in 4\d min/)
  })
})
