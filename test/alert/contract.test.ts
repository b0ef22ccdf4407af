import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {afterEach, describe, it} from 'node:test'

import {alertStage} from '../../src/alert/alert'
import {check} from '../../src/alert/check'
import {deliverDue} from '../../src/alert/deliver'
import {acknowledge, addSilence, listAlerts} from '../../src/alert/people'
import {resolveConfig} from '../../src/config/resolve'
import {keysFor} from '../../src/store/keys'
import {lockTtlMs} from '../../src/store/lock'
import {harness, type Harness, HOST, json, log, MIN, T0} from '../helpers/alerting'
import {closedPort} from '../helpers/receivers'
import {ROOT, runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

/** Only email and the webhook, so that each assertion reads one receiver. */
const emailAndHook = {alerts: {channels: {slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}}}}
const subjects = (h: Harness) => h.smtp.mails.map((mail) => `${mail.to.join(',')} ${mail.subject}`)
const MEMORY = 'web1/memory/memory.percent'

describe('the notification contract, end to end: real Redis, SMTP and HTTP receivers, the clock moved', () => {
  let h: Harness
  afterEach(() => h?.close())

  it('1. a re-fire within min_interval is a new episode and is told: the last word is FIRING, not RESOLVED', async () => {
    h = await harness(() => emailAndHook)
    await h.step(T0, {'memory.percent': 80})
    await h.step(T0 + MIN, {'memory.percent': 50})
    await h.step(T0 + 2 * MIN, {'memory.percent': 80})
    await h.step(T0 + 3 * MIN)
    assert.deepEqual(subjects(h), [
      'admin@example.com [monitor] WARNING web1: memory.percent = 80.0 % (≥ 75)',
      'admin@example.com [monitor] RESOLVED web1: memory.percent = 50.0 %',
      'admin@example.com [monitor] WARNING web1: memory.percent = 80.0 % (≥ 75)',
    ])
  })

  it('2. repeat_interval: an alert still firing is told again that often, and only then', async () => {
    h = await harness(() => ({...emailAndHook, alerts: {...emailAndHook.alerts, throttling: {repeat_interval: 3600}}}))
    for (let minute = 0; minute <= 130; minute += 10) await h.step(T0 + minute * MIN, {'memory.percent': 80})
    assert.deepEqual(h.smtp.mails.map((mail) => mail.subject), Array(3).fill('[monitor] WARNING web1: memory.percent = 80.0 % (≥ 75)'), 'at 0, 60 and 120 min')
  })

  it('3. a channel told of CRITICAL hears the resolution after the alert stepped down below its min_severity', async () => {
    h = await harness((urls) => ({alerts: {channels: {email: {recipients: [], smtp_url: ''}, slack: {webhook_url: `${urls.http}/slack`, min_severity: 'critical'}, webhook: {url: `${urls.http}/hook`, min_severity: 'critical'}, ntfy: {url: ''}, gotify: {url: '', token: ''}}}}))
    await h.step(T0, {'memory.percent': 80})
    assert.equal(h.http.on('/hook').length, 0, 'a warning is not for this channel')
    await h.step(T0 + MIN, {'memory.percent': 96})
    await h.step(T0 + 2 * MIN, {'memory.percent': 78})
    await h.step(T0 + 3 * MIN, {'memory.percent': 50})
    const statuses = h.http.on('/hook').map((request) => [json(request.body).status, json(request.body).severity])
    assert.deepEqual(statuses, [['firing', 'critical'], ['resolved', 'critical']], 'resolved, and what this channel was told it was')
    assert.equal(h.http.on('/slack').length, 2)
  })

  it('4. a silence withholds firing and escalation; when it ends and the alert still fires, each channel is told once', async () => {
    h = await harness(() => ({...emailAndHook, alerts: {...emailAndHook.alerts, escalation: {levels: [{after: '15m', recipients: ['oncall@example.com']}]}}}))
    await addSilence(h.redis, h.keys, 'web1/*', 30 * 60, 'disk swap', T0)
    for (const minute of [0, 15, 20, 29]) await h.step(T0 + minute * MIN, {'memory.percent': 96})
    assert.deepEqual(subjects(h), [], 'nothing during the silence, escalation included')
    await h.step(T0 + 30 * MIN)
    await h.step(T0 + 31 * MIN)
    assert.deepEqual(subjects(h), ['admin@example.com [monitor] CRITICAL web1: memory.percent = 96.0 % (≥ 95)'])
    assert.equal(h.http.on('/hook').length, 1)
    await h.step(T0 + 44 * MIN)
    assert.equal(h.smtp.mails.length, 1, 'the escalation clock started when people were told')
    await h.step(T0 + 45 * MIN)
    assert.match(subjects(h)[1] ?? '', /^oncall@example\.com \[monitor\] ESCALATION 1 CRITICAL web1/)
  })

  it('4. a maintenance window withholds what it matches until it ends', async () => {
    const local = new Date(T0)
    const clock = (date: Date) => `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
    h = await harness(() => ({...emailAndHook, alerts: {...emailAndHook.alerts, maintenance: [{match: 'web1/memory/*', days: [days[local.getDay()]], from: clock(local), to: clock(new Date(T0 + 20 * MIN))}]}}))
    await h.step(T0, {'memory.percent': 80})
    await h.step(T0 + 10 * MIN)
    assert.equal(h.smtp.mails.length, 0)
    await h.step(T0 + 20 * MIN)
    assert.equal(h.smtp.mails.length, 1)
  })

  it('5. the hourly cap never drops silently: the held-back notice goes out on its own once the hour allows', async () => {
    h = await harness(() => ({...emailAndHook, alerts: {...emailAndHook.alerts, throttling: {max_alerts_per_hour: 1}}}))
    await h.step(T0, {'memory.percent': 80})
    const held = await h.step(T0 + MIN, {'memory.percent': 80, 'disk.used_percent{mount="/"}': 85})
    assert.deepEqual(held.held.map((entry) => entry.keys), [['web1/disk/disk.used_percent{mount="/"}'], ['web1/disk/disk.used_percent{mount="/"}']])
    await h.step(T0 + 2 * MIN, {'memory.percent': 80, 'disk.used_percent{mount="/"}': 50})
    assert.equal(h.smtp.mails.length, 1, 'a resolution of a firing never told is not sent')
    await h.step(T0 + 59 * MIN)
    assert.equal(h.smtp.mails.length, 1)
    await h.step(T0 + 61 * MIN)
    assert.equal(h.smtp.mails.length, 2, 'no new alert was needed')
    assert.match(h.smtp.mails[1]?.text ?? '', /1 alert\(s\) were held back by the hourly limit: web1\/disk\/disk\.used_percent\{mount="\/"\}/)
    const notice = json(h.http.on('/hook')[1]?.body ?? '{}')
    assert.deepEqual([notice.kind, notice.held_back], ['held', {count: 1, keys: ['web1/disk/disk.used_percent{mount="/"}']}])
  })

  it('6. escalation levels name channels as well as recipients, and they hear the resolution', async () => {
    h = await harness((urls) => ({alerts: {channels: {slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}, webhook: {url: `${urls.http}/hook`, min_severity: 'critical'}}, escalation: {levels: [{after: '15m', recipients: ['oncall@example.com'], channels: ['webhook'], min_severity: 'error'}]}}}))
    await h.step(T0, {'memory.percent': 90})
    await h.step(T0 + 15 * MIN)
    const escalation = json(h.http.on('/hook')[0]?.body ?? '{}')
    assert.equal(escalation.kind, 'escalation', 'the webhook (min_severity critical) hears the error through escalation')
    await h.step(T0 + 20 * MIN, {'memory.percent': 50})
    assert.deepEqual(subjects(h).map((line) => line.replace(/: .*/, '')).sort(), [
      'admin@example.com [monitor] ERROR web1',
      'admin@example.com [monitor] RESOLVED web1',
      'oncall@example.com [monitor] ESCALATION 1 ERROR web1',
      'oncall@example.com [monitor] RESOLVED web1',
    ])
    assert.equal(json(h.http.on('/hook')[1]?.body ?? '{}').status, 'resolved')
  })

  it('7. an absent value keeps the alert; a series absent for absent_after resolves with a message that says so', async () => {
    h = await harness(() => emailAndHook)
    await h.step(T0, {'cpu.percent': 99, 'memory.percent': 10})
    // After a reboot the first sample has no rates: cpu.percent is absent.
    for (let second = 10; second < 100; second += 10) await h.step(T0 + second * 1000, {'memory.percent': 10})
    assert.equal(h.smtp.mails.length, 1)
    assert.deepEqual((await listAlerts(h.redis, h.keys, [HOST])).map((alert) => [alert.key, alert.state]), [['web1/cpu/cpu.percent', 'firing']])
    await h.step(T0 + 110_000)
    assert.deepEqual(subjects(h).slice(1), ['admin@example.com [monitor] RESOLVED web1: cpu.percent not reported for 1 min 40 s'])
  })

  it('8. `for` counts from the last rise to the raw threshold, and the message states the value and the level honestly', async () => {
    h = await harness(() => ({...emailAndHook, thresholds: {cpu: {for: 60, hysteresis: 5}}}))
    const at = (second: number, cpu: number) => h.step(T0 + second * 1000, {'cpu.percent': cpu})
    await at(0, 72)
    await at(30, 68)
    await at(40, 72)
    await at(90, 72)
    assert.equal(h.smtp.mails.length, 0, '50 s after the value rose again')
    await at(100, 72)
    assert.deepEqual(subjects(h), ['admin@example.com [monitor] WARNING web1: cpu.percent = 72.0 % (≥ 70)'])
    await at(110, 90)
    assert.equal(subjects(h).at(-1), 'admin@example.com [monitor] ERROR web1: cpu.percent = 90.0 % (≥ 85)')
    await at(120, 83)
    assert.equal(h.smtp.mails.length, 2, 'still error: nothing new to tell')
    const [alert] = await listAlerts(h.redis, h.keys, [HOST])
    assert.deepEqual([alert?.severity, alert?.message], ['error', 'cpu.percent = 83.0 % (error level 85 held until below 80)'])
  })

  it('9. while a host is silent its other alerts are not told; its host_silent alert is', async () => {
    h = await harness(() => emailAndHook)
    await h.redis.zadd(h.keys.hosts, T0 - 10 * MIN, HOST)
    const result = await h.step(T0, {'memory.percent': 80})
    assert.deepEqual(result.suppressed, [{key: MEMORY, reason: 'inhibited: web1 is silent'}])
    assert.deepEqual(subjects(h), ['admin@example.com [monitor] ERROR web1: web1 has not reported for 10 min'])
  })

  it('12. a host_silent alert can be acknowledged: its escalation stops', async () => {
    h = await harness(() => ({...emailAndHook, alerts: {...emailAndHook.alerts, escalation: {levels: [{after: '15m', recipients: ['oncall@example.com']}]}}}))
    await h.redis.zadd(h.keys.hosts, T0 - 10 * MIN, 'web2')
    await h.step(T0, {'memory.percent': 10})
    assert.deepEqual(await acknowledge(h.redis, h.keys, 'web2/host_silent/*', 'rebooting it', T0 + MIN), ['web2/host_silent/web2'])
    assert.equal((await listAlerts(h.redis, h.keys, ['web2']))[0]?.acknowledged, true)
    await h.step(T0 + 20 * MIN)
    assert.deepEqual(subjects(h).map((line) => line.split(' ')[0]), ['admin@example.com'], 'no escalation')
  })
})

describe('the notification contract: concurrent senders and killed processes', () => {
  it('10. alert, alert --flush and run claim through the same leases: nothing is delivered twice', async () => {
    const {redis, prefix, cleanup} = await testRedis()
    const received: string[] = []
    // A slow receiver: each answer takes 150 ms, so the senders overlap.
    const server = createServer((request, response) => {
      received.push(String(request.headers['x-monitor-notification-id']))
      request.resume()
      setTimeout(() => response.end('ok'), 150)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const down = `http://127.0.0.1:${await closedPort()}`
    const settings = (url: string) => ({redis: {prefix}, alerts: {throttling: {grouping_window: 0}, channels: {webhook: {url: `${url}/hook`}, ntfy: {url: `${url}/ntfy/t`}, gotify: {url: `${url}/gotify`, token: 't'}}}})
    try {
      const keys = keysFor(prefix)
      // Nine notifications wait in the outbox: their receiver was down.
      const offline = resolveConfig(settings(down), {})
      for (const host of ['a1', 'a2', 'a3']) {
        await writeSample(redis, keys, host, 'basic', T0, {'memory.percent': 90})
        await check({redis, keys, host, config: offline, log, now: () => T0})
        await alertStage({redis, keys, host, config: offline, log, now: () => T0})
      }
      assert.equal(await redis.zcard(keys.outbox), 9)
      const online = resolveConfig(settings(base), {})
      const later = () => T0 + 10 * MIN
      await Promise.all([
        deliverDue({redis, keys, config: online, log, now: later}),
        deliverDue({redis, keys, config: online, log, now: later, flush: true}),
        deliverDue({redis, keys, config: online, log, now: later, flush: true}),
        alertStage({redis, keys, host: 'a1', config: online, log, now: later, flush: true}),
      ])
      assert.equal(received.length, 9, 'each notification sent once')
      assert.equal(new Set(received).size, 9)
      assert.equal(await redis.zcard(keys.outbox), 0)
    } finally {
      server.closeAllConnections()
      server.close()
      await cleanup()
    }
  })

  it('11. a killed run blocks the host for two basic intervals at most, and its notification is sent again once its lease ends', async () => {
    const {redis, url, prefix, cleanup} = await testRedis()
    let arrived: () => void = () => {}
    const first = new Promise<void>((resolve) => (arrived = resolve))
    const ids: string[] = []
    // A receiver that never answers the first request.
    const server = createServer((request, response) => {
      ids.push(String(request.headers['x-monitor-notification-id']))
      request.resume()
      if (ids.length === 1) arrived()
      else response.end('ok')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const config = writeConfig(`redis:\n  prefix: ${prefix}\nthresholds:\n  memory: {warning: 0.1, error: 99, critical: 100}\nalerts:\n  throttling: {grouping_window: 0}\n  delivery: {timeout: 5}\n  channels:\n    webhook: {url: "${base}/hook"}\n`)
    try {
      const keys = keysFor(prefix)
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'run', '--config', config, '--redis-url', url, '--host', 'killed'], {stdio: 'ignore'})
      await first
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      const ttlMs = await redis.pttl(keys.lock('killed', 'run'))
      assert.equal(lockTtlMs('run', resolveConfig({}, {})), 20_000)
      assert.ok(ttlMs > 0 && ttlMs <= 20_000, `the dead run's lock frees itself within 20 s (${ttlMs} ms left)`)
      const online = resolveConfig({redis: {prefix}, alerts: {delivery: {timeout: 5}, channels: {webhook: {url: `${base}/hook`}}}}, {})
      const early = await deliverDue({redis, keys, config: online, log, now: () => Date.now()})
      assert.equal(early.delivered.length, 0, 'not while the dead process holds its lease')
      const afterLease = await deliverDue({redis, keys, config: online, log, now: () => Date.now() + 16_000})
      assert.equal(afterLease.delivered.length, 1)
      assert.deepEqual(ids, [ids[0], ids[0]], 'the same notification, with the same id')
    } finally {
      server.closeAllConnections()
      server.close()
      await cleanup()
    }
  })

  it('12. alerts ack with Redis unreachable exits 3, not 2', async () => {
    const result = await runCli(['alerts', 'ack', 'web1/memory/memory.percent', '--redis-url', `redis://127.0.0.1:${await closedPort()}/0`])
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /^monitor: .*Redis/m)
    const usage = await runCli(['alerts', 'ack', '*/memory/x', '--redis-url', `redis://127.0.0.1:${await closedPort()}/0`])
    assert.equal(usage.code, 3, 'the connection is tried first')
  })
})

describe('heartbeat', () => {
  let h: Harness
  afterEach(() => h?.close())

  it('each completed alert stage pings the push URL, at most once per `every`; a failing ping is only a warning', async () => {
    h = await harness((urls) => ({...emailAndHook, alerts: {...emailAndHook.alerts, heartbeat: {url: `${urls.http}/ping/abc123`, every: 60}}}))
    for (const second of [0, 10, 50]) await h.step(T0 + second * 1000, {'memory.percent': 10})
    assert.equal(h.http.on('/ping').length, 1)
    await h.step(T0 + 60_000)
    assert.equal(h.http.on('/ping').length, 2, 'a minute later')
    assert.equal(h.http.on('/ping')[0]?.headers['user-agent']?.startsWith('monitor/'), true)
    h.http.status(503)
    await h.step(T0 + 120_000)
    await h.step(T0 + 130_000)
    assert.equal(h.http.on('/ping').length, 4, 'a failed ping is tried again at the next run')
  })
})

describe('named channels', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('two channels of one type: each routes, throttles, counts its hour and escalates on its own', async () => {
    h = await harness((urls) => ({alerts: {
      channels: {
        email: {recipients: [], smtp_url: ''}, slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}, webhook: {url: ''},
        team: {type: 'slack', webhook_url: `${urls.http}/team`, min_severity: 'warning'},
        oncall: {type: 'slack', webhook_url: `${urls.http}/oncall`, min_severity: 'critical'},
      },
      throttling: {max_alerts_per_hour: 2},
      escalation: {levels: [{after: '15m', channels: ['oncall'], min_severity: 'error'}]},
    }}))
    await h.step(T0, {'memory.percent': 80})
    await h.step(T0 + MIN, {'memory.percent': 80, 'disk.used_percent{mount="/"}': 85})
    await h.step(T0 + 2 * MIN, {'memory.percent': 80, 'disk.used_percent{mount="/"}': 85, 'cpu.percent': 90})
    assert.equal(h.http.on('/team').length, 2, 'team: warning and up, its own cap of 2 per hour')
    assert.equal(h.http.on('/oncall').length, 0, 'oncall: critical only')
    await h.step(T0 + 3 * MIN, {'memory.percent': 96, 'disk.used_percent{mount="/"}': 85, 'cpu.percent': 90})
    assert.equal(h.http.on('/oncall').length, 1, "oncall's hour is its own")
    await h.step(T0 + 17 * MIN)
    const escalation = JSON.parse(h.http.on('/oncall')[1]?.body ?? '{}') as {text: string}
    assert.match(escalation.text, /^\[monitor\] ESCALATION 1 CRITICAL web1: cpu\.percent = 90\.0 % \(≥ 85\): firing for 15 min, not acknowledged \(\+1 more\)$/, 'cpu (error) and memory (critical) escalated to the oncall channel')
    const sent = await h.redis.hgetall(h.keys.alertSent(HOST))
    assert.ok(Object.keys(sent).some((field) => field.startsWith('team|')) && Object.keys(sent).some((field) => field.startsWith('oncall|')), 'who was told, per named channel')
  })

  it('config show hides the secrets of a named channel as of its type', async () => {
    const config = writeConfig('alerts:\n  channels:\n    oncall: {type: slack, webhook_url: "https://hooks.slack.com/services/T000/B000/SECRETPATH"}\n', 'monitor.config.yaml')
    const shown = await runCli(['config', 'show', '--json', '--config', config])
    assert.equal(shown.code, 0, shown.stderr)
    const channels = JSON.parse(shown.stdout).alerts.channels as Record<string, {type: string; webhook_url: string; min_severity: string}>
    assert.deepEqual([channels.oncall?.type, channels.oncall?.min_severity, channels.oncall?.webhook_url], ['slack', 'error', 'https://hooks.slack.com/***'])
    assert.ok(!shown.stdout.includes('SECRETPATH'))
  })
})
