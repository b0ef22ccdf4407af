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

describe('whole processes with the clock moved by libfaketime: check and alert as the timers run them', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let config: string

  before(async () => {
    ;({redis, url, prefix, cleanup} = await testRedis())
    smtp = await startSmtp()
    config = writeConfig(`redis:\n  prefix: ${prefix}\nalerts:\n  throttling: {grouping_window: 0, repeat_interval: 3600}\n  channels:\n    email: {recipients: [admin@example.com], smtp_url: "smtp://127.0.0.1:${smtp.port}"}\n`)
  })
  after(async () => {
    await smtp.close()
    await cleanup()
  })

  /** What the host reported at `atMs`, then `check` and, 5 s later (each process starts its clock anew), `alert`. */
  async function cycle(atMs: number, series: Record<string, number>): Promise<void> {
    await writeSample(redis, keysFor(prefix), 'clocked', 'basic', atMs, series)
    for (const [stage, offsetMs] of [['check', 0], ['alert', 5000]] as const) {
      const result = await runCli([stage, '--config', config, '--redis-url', url, '--host', 'clocked'], {}, undefined, undefined, atMs + offsetMs)
      assert.equal(result.code, 0, `${stage} at ${new Date(atMs).toISOString()}: ${result.stderr}`)
    }
  }

  it('re-tells an alert still firing after repeat_interval, and resolves one whose series stopped reporting', async () => {
    await cycle(T0, {'memory.percent': 80})
    await cycle(T0 + 30 * MIN, {'memory.percent': 80})
    assert.equal(smtp.mails.length, 1)
    await cycle(T0 + 61 * MIN, {'memory.percent': 80})
    assert.deepEqual(smtp.mails.map((mail) => mail.subject), Array(2).fill('[monitor] WARNING clocked: memory.percent = 80.0 % (≥ 75)'))
    // The memory series stops (a collector change, say): the alert waits ten basic intervals, then ends saying why.
    await cycle(T0 + 62 * MIN, {'cpu.percent': 5})
    assert.equal(smtp.mails.length, 2)
    await cycle(T0 + 64 * MIN, {'cpu.percent': 5})
    assert.equal(smtp.mails.at(-1)?.subject, '[monitor] RESOLVED clocked: memory.percent not reported for 2 min')
  })
})
