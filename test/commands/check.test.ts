import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {runCli, writeConfig} from '../helpers/cli'
import {closedPort} from '../helpers/receivers'
import {testRedis} from '../helpers/redis'
import {seedTier} from '../helpers/seed'

describe('monitor check and alert as commands', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let config: string
  const run = (args: string[]) => runCli([...args, '--config', config, '--redis-url', url])
  const sample = (host: string, series: Record<string, number>) => seedTier(redis, prefix, host, 'basic', 1, 10, Date.now(), () => series)

  before(async () => {
    ({redis, url, prefix, cleanup} = await testRedis())
    config = writeConfig(`redis:\n  prefix: ${prefix}\nthresholds:\n  cpu: {for: 0}\nalerts:\n  throttling: {grouping_window: 0}\n  channels:\n    email:\n      recipients: [admin@example.com]\n      smtp_url: smtp://127.0.0.1:${await closedPort()}\n  delivery: {timeout: 2}\n`)
  })
  after(() => cleanup())

  it('--nagios: OK with perfdata, exit 0', async () => {
    await sample('ok-host', {'cpu.percent': 12.5, 'memory.percent': 40, 'disk.used_percent{mount="/"}': 50})
    const result = await run(['check', '--nagios', '--host', 'ok-host'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, `MONITOR OK - no alerts | cpu_percent=12.5%;70;85;0;100 memory_percent=40%;75;85;0;100 disk_used_percent_/=50%;80;90;0;100\n`)
  })

  it('--nagios: WARNING, exit 1', async () => {
    await sample('warn-host', {'memory.percent': 80})
    const result = await run(['check', '--nagios', '--host', 'warn-host'])
    assert.equal(result.code, 1)
    assert.match(result.stdout, /^MONITOR WARNING - warning: memory\.percent = 80\.0 % \(≥ 75\) \| memory_percent=80%;75;85;0;100\n$/)
  })

  it('--nagios: CRITICAL for error and critical, exit 2', async () => {
    await sample('crit-host', {'memory.percent': 88, 'cpu.percent': 97})
    const result = await run(['check', '--nagios', '--host', 'crit-host'])
    assert.equal(result.code, 2)
    assert.match(result.stdout, /^MONITOR CRITICAL - critical: cpu\.percent = 97\.0 % \(≥ 95\); error: memory\.percent/)
  })

  it('--nagios: UNKNOWN without a recent sample, exit 3', async () => {
    const result = await run(['check', '--nagios', '--host', 'silent-host'])
    assert.equal(result.code, 3)
    assert.equal(result.stdout, 'MONITOR UNKNOWN - no recent sample: is collect running?\n')
  })

  it('--nagios: UNKNOWN when Redis is down, exit 3', async () => {
    const result = await runCli(['check', '--nagios', '--redis-url', `redis://127.0.0.1:${await closedPort()}/0`])
    assert.equal(result.code, 3)
    assert.match(result.stdout, /^MONITOR UNKNOWN - cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0: .*ECONNREFUSED/)
  })

  it('--nagios: a usage error is UNKNOWN (3) with a status line', async () => {
    const result = await run(['check', '--nagios', '--bogus'])
    assert.equal(result.code, 3)
    assert.equal(result.stdout, 'MONITOR UNKNOWN - Nonexistent flag: --bogus (see monitor check --help)\n')
    const both = await run(['check', '--nagios', '--json'])
    assert.equal(both.code, 3)
    assert.equal(both.stdout, 'MONITOR UNKNOWN - --json=true cannot also be provided when using --nagios (see monitor check --help)\n')
  })

  it('--verbose says what check and hosts looked at', async () => {
    const checked = await run(['check', '--verbose', '--host', 'warn-host'])
    assert.match(checked.stderr, /debug: check warn-host: fresh basic; 1 alert\(s\) before, 1 after, 0 transition\(s\)/)
    const hosts = await run(['hosts', '--verbose'])
    assert.match(hosts.stderr, /debug: \d+ host\(s\) in /)
    assert.match(hosts.stderr, /debug: warn-host: last seen \d+ s ago, 1 active alert\(s\)/)
  })

  it('--json lists the active alerts with their fields', async () => {
    const result = await run(['check', '--json', '--host', 'warn-host'])
    const [alert] = JSON.parse(result.stdout)
    assert.deepEqual(Object.keys(alert), ['key', 'host', 'rule', 'series', 'labels', 'severity', 'value', 'threshold', 'since', 'state', 'acknowledged', 'ack', 'message'])
    assert.deepEqual([alert.key, alert.state, alert.severity, alert.value, alert.threshold], ['warn-host/memory/memory.percent', 'firing', 'warning', 80, 75])
  })

  it('alert exits 6 when SMTP is down and keeps the email; alerts outbox shows the error', async () => {
    const result = await run(['alert', '--host', 'warn-host'])
    assert.equal(result.code, 6, result.stderr)
    assert.match(result.stdout, /queued 1, delivered 0, retrying 1, dead 0/)
    assert.match(result.stderr, /email: SMTP: .*ECONNREFUSED.*; attempt 1 of 5, next in 30 s/)
    const outbox = JSON.parse((await run(['alerts', 'outbox', '--json'])).stdout)
    assert.equal(outbox.pending.length, 1)
    assert.match(outbox.pending[0].last_error, /ECONNREFUSED/)
    assert.match(outbox.pending[0].next_attempt_at, /^\d{4}-\d\d-\d\dT/, 'times in --json are ISO 8601')
  })

  it('alerts list, ack, silence and history work from the command line', async () => {
    const list = JSON.parse((await run(['alerts', 'list', '--all-hosts', '--json'])).stdout)
    assert.ok(list.alerts.some((alert: {key: string}) => alert.key === 'crit-host/cpu/cpu.percent'))
    const ack = await run(['alerts', 'ack', 'crit-host/cpu/*', '--comment', 'on it'])
    assert.equal(ack.code, 0, ack.stderr)
    assert.match(ack.stdout, /acknowledged crit-host\/cpu\/cpu\.percent/)
    const acked = JSON.parse((await run(['alerts', 'list', '--all-hosts', '--json'])).stdout).alerts.find((alert: {key: string}) => alert.key === 'crit-host/cpu/cpu.percent')
    assert.equal(acked.ack.comment, 'on it', 'who acknowledged and why are shown')
    assert.match((await run(['alerts', 'list', '--all-hosts'])).stdout, /: on it/)
    const checked = JSON.parse((await run(['check', '--json', '--host', 'crit-host'])).stdout) as {key: string; ack: {comment: string} | null}[]
    assert.equal(checked.find((alert) => alert.key === 'crit-host/cpu/cpu.percent')?.ack?.comment, 'on it', 'check shows the acknowledgement too')
    const none = await run(['alerts', 'ack', 'crit-host/nothing/*'])
    assert.equal(none.code, 2)
    const silence = JSON.parse((await run(['alerts', 'silence', '--match', 'crit-host/*', '--for', '2h', '--reason', 'upgrade', '--json'])).stdout)
    assert.equal(silence.match, 'crit-host/*')
    assert.ok(Math.abs(Date.parse(silence.until) - Date.now() - 7_200_000) < 10_000)
    assert.deepEqual(JSON.parse((await run(['alerts', 'list', '--json'])).stdout).silences.map((entry: {id: string; created_by: string}) => entry.id), [silence.id], '--json lists the silences the table shows')
    assert.equal((await run(['alerts', 'unsilence', silence.id])).code, 0)
    assert.equal((await run(['alerts', 'silence', '--match', 'x', '--for', 'soon', '--reason', 'r'])).code, 2)
    const historyLines = (await run(['alerts', 'history', '--since', '1h', '--host', 'crit-host'])).stdout
    assert.match(historyLines, /firing +critical crit-host\/cpu\/cpu\.percent/)
  })
})
