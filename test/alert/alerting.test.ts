import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {alertStage} from '../../src/alert/alert'
import {check} from '../../src/alert/check'
import {deliverDue} from '../../src/alert/deliver'
import type {Notification} from '../../src/alert/notification'
import {listOutbox, requeueDead} from '../../src/alert/outbox'
import {acknowledge, addSilence, history} from '../../src/alert/people'
import {each, harness, type Harness, HOST, json, log, MIN, T0} from '../helpers/alerting'
import {runCli, writeConfig} from '../helpers/cli'
import {closedPort, startSmtp} from '../helpers/receivers'
import {testRedisUrl} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

describe('alerting end to end: real Redis, SMTP and HTTP receivers on loopback', () => {
  let h: Harness
  afterEach(() => h?.close())

  it('memory over its warning: one message per channel, then quiet, then a rise, then resolved', async () => {
    h = await harness()
    await h.step(T0, {'memory.percent': 80})
    assert.deepEqual(h.counts(), each(1))

    const [mail] = h.smtp.mails
    assert.match(mail?.subject ?? '', /^\[monitor\] WARNING web1: memory\.percent = 80\.0 % \(≥ 75\)$/)
    assert.deepEqual(mail?.to, ['admin@example.com'])
    assert.match(mail?.html ?? '', /<h2 style="color:#daa038">/)
    const [hook] = h.http.on('/hook')
    const payload = json(hook?.body ?? '{}')
    assert.equal(hook?.headers['idempotency-key'], payload.id)
    assert.match(mail?.messageId ?? '', /^<[0-9a-f-]{36}@monitor>$/, 'the Message-ID is the notification id')
    assert.equal(payload.status, 'firing')
    assert.deepEqual(payload.alerts.map((alert) => [alert.key, alert.event, alert.severity, alert.value, alert.threshold]), [['web1/memory/memory.percent', 'firing', 'warning', 80, 75]])
    const [ntfy] = h.http.on('/ntfy')
    const published = JSON.parse(ntfy?.body ?? '{}') as {topic: string; title: string; priority: number}
    assert.equal(ntfy?.path, '/ntfy/', 'published as JSON to the server root')
    assert.deepEqual([published.topic, published.priority], ['alerts', 3])
    assert.equal(published.title, '[monitor] WARNING web1: memory.percent = 80.0 % (≥ 75)', 'the title keeps its UTF-8 (≥)')
    assert.match(String(h.http.on('/hook')[0]?.headers['user-agent']), /^monitor\/\d+\.\d+\.\d+$/)
    const [gotify] = h.http.on('/gotify')
    assert.equal(gotify?.path, '/gotify/message')
    assert.equal(gotify?.headers['x-gotify-key'], 'gotify-app-token')
    assert.equal(json(gotify?.body ?? '{}').priority, 5)
    const [slack] = h.http.on('/slack')
    assert.equal((json(slack?.body ?? '{}') as unknown as {attachments: {color: string}[]}).attachments[0]?.color, '#daa038')

    await h.step(T0 + MIN, {'memory.percent': 81})
    assert.deepEqual(h.counts(), each(1), 'a second run within min_interval sends nothing')

    await h.step(T0 + 2 * MIN, {'memory.percent': 90})
    assert.deepEqual(h.counts(), each(2), 'a severity rise sends again')
    assert.match(h.smtp.mails[1]?.subject ?? '', /^\[monitor\] ERROR web1/)

    await h.step(T0 + 3 * MIN, {'memory.percent': 50})
    assert.deepEqual(h.counts(), each(3), 'a clear sends "resolved"')
    assert.match(h.smtp.mails[2]?.subject ?? '', /^\[monitor\] RESOLVED web1/)
    assert.equal(json(h.http.on('/hook')[2]?.body ?? '{}').status, 'resolved')
    assert.deepEqual(await listOutbox(h.redis, h.keys), {pending: [], dead: []})
  })

  it('three alerts inside the grouping window make one message per channel', async () => {
    h = await harness(() => ({alerts: {throttling: {grouping_window: 60}}}))
    const first = await h.step(T0, {'cpu.percent': 99, 'memory.percent': 90, 'disk.used_percent{mount="/"}': 96})
    assert.equal(first.waiting, 3)
    assert.deepEqual(h.counts(), each(0), 'the window is still open')
    await h.step(T0 + 61_000)
    assert.deepEqual(h.counts(), each(1))
    const payload = json(h.http.on('/hook')[0]?.body ?? '{}')
    assert.deepEqual(payload.alerts.map((alert) => alert.rule).sort(), ['cpu', 'disk', 'memory'])
    assert.equal(payload.severity, 'critical')
    assert.match(h.smtp.mails[0]?.subject ?? '', /\(\+2 more\)$/)
  })

  it('over max_alerts_per_hour, the next message says how many were held back', async () => {
    h = await harness(() => ({alerts: {throttling: {max_alerts_per_hour: 1}}}))
    await h.step(T0, {'memory.percent': 80})
    const held = await h.step(T0 + MIN, {'memory.percent': 80, 'disk.used_percent{mount="/"}': 85})
    assert.deepEqual(held.held.map((entry) => entry.channel).sort(), ['email', 'gotify', 'ntfy', 'slack', 'webhook'])
    assert.deepEqual(h.counts(), each(1))
    await h.step(T0 + 61 * MIN, {'memory.percent': 80, 'disk.used_percent{mount="/"}': 85, 'cpu.percent': 99})
    assert.deepEqual(h.counts(), each(2))
    assert.deepEqual(json(h.http.on('/hook')[1]?.body ?? '{}').held_back, {count: 1, keys: ['web1/disk/disk.used_percent{mount="/"}']})
    assert.match(h.smtp.mails[1]?.text ?? '', /1 alert\(s\) were held back by the hourly limit: web1\/disk/)
  })

  it('escalates at 15, 30 and 60 minutes, once per level, and an ack stops it', async () => {
    h = await harness(() => ({alerts: {escalation: {levels: [
      {after: '15m', recipients: ['oncall@example.com']},
      {after: '30m', recipients: ['manager@example.com']},
      {after: '1h', recipients: ['director@example.com']},
    ]}}}))
    await h.step(T0, {'memory.percent': 96, 'disk.used_percent{mount="/"}': 96})
    await h.step(T0 + 14 * MIN)
    const to = () => h.smtp.mails.map((mail) => mail.to.join(','))
    assert.deepEqual(to(), ['admin@example.com'])
    await h.step(T0 + 15 * MIN)
    assert.deepEqual(to().slice(1), ['oncall@example.com'], 'both alerts escalate to level 1, in one message')
    assert.match(h.smtp.mails[1]?.subject ?? '', /ESCALATION 1 CRITICAL web1: .*\(\+1 more\)$/)

    assert.deepEqual(await acknowledge(h.redis, h.keys, 'web1/disk/*', 'replacing the disk', T0 + 16 * MIN), ['web1/disk/disk.used_percent{mount="/"}'])
    await h.step(T0 + 30 * MIN)
    await h.step(T0 + 31 * MIN)
    await h.step(T0 + 60 * MIN)
    await h.step(T0 + 90 * MIN)
    assert.deepEqual(to().slice(2), ['manager@example.com', 'director@example.com'], 'only the unacknowledged alert goes on, once per level')
  })

  it('a silence stops notifications, keeps the record, and expires', async () => {
    h = await harness()
    await addSilence(h.redis, h.keys, 'web1/*', 3600, 'maintenance', T0)
    const silenced = await h.step(T0, {'memory.percent': 80})
    assert.deepEqual(h.counts(), each(0))
    assert.deepEqual(silenced.suppressed.map((entry) => entry.key), ['web1/memory/memory.percent'])
    assert.ok(await h.redis.hexists(h.keys.alerts(HOST), 'web1/memory/memory.percent'), 'the alert is still recorded')
    assert.deepEqual((await history(h.redis, h.keys, [HOST], 0)).map((event) => event.kind), ['firing'])
    await h.step(T0 + 61 * MIN, {'memory.percent': 96})
    assert.deepEqual(h.counts(), each(1), 'after the silence expired, the rise is sent')
  })

  it('SMTP down keeps the email in the outbox; --flush after it returns sends it exactly once', async () => {
    const port = await closedPort()
    h = await harness((urls) => ({alerts: {channels: {email: {smtp_url: urls.smtp.replace(/:\d+$/, `:${port}`)}}}}))
    const result = await h.step(T0, {'memory.percent': 80})
    assert.deepEqual(result.delivery.retrying.map((item) => item.channel), ['email'])
    assert.match(result.delivery.retrying[0]?.lastError ?? '', /SMTP: .*ECONNREFUSED/)
    assert.deepEqual({...h.counts(), email: 0}, {...each(1), email: 0})
    const waiting = (await listOutbox(h.redis, h.keys)).pending
    assert.deepEqual(waiting.map((item) => [item.channel, item.attempts]), [['email', 1]])

    const smtp = await startSmtp(port)
    try {
      const flushed = await deliverDue({redis: h.redis, keys: h.keys, config: h.config, log, now: () => T0 + 1000, flush: true})
      assert.equal(flushed.delivered.length, 1)
      await deliverDue({redis: h.redis, keys: h.keys, config: h.config, log, now: () => T0 + 600_000, flush: true})
      assert.equal(smtp.mails.length, 1, 'sent exactly once')
      assert.equal(smtp.mails[0]?.messageId, `<${waiting[0]?.id}@monitor>`)
      assert.deepEqual(await listOutbox(h.redis, h.keys), {pending: [], dead: []})
    } finally {
      await smtp.close()
    }
  })

  it('a webhook answering 500 is retried with backoff and ends in the dead-letter list', async () => {
    h = await harness(() => ({alerts: {channels: {email: {recipients: [], smtp_url: ''}, slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}}}}))
    h.http.status(500)
    const first = await h.step(T0, {'memory.percent': 80})
    assert.equal(first.delivery.retrying[0]?.nextAttemptAt, T0 + 1000, 'first retry after retry_backoff')
    const early = await deliverDue({redis: h.redis, keys: h.keys, config: h.config, log, now: () => T0 + 500})
    assert.equal(early.retrying.length + early.dead.length, 0, 'not retried before its time')
    const second = await deliverDue({redis: h.redis, keys: h.keys, config: h.config, log, now: () => T0 + 1000})
    assert.equal(second.retrying[0]?.nextAttemptAt, T0 + 1000 + 2000, 'then twice as long')
    const third = await deliverDue({redis: h.redis, keys: h.keys, config: h.config, log, now: () => T0 + 3000})
    assert.equal(third.dead.length, 1)
    const requests = h.http.on('/hook')
    assert.equal(requests.length, 3)
    assert.equal(new Set(requests.map((request) => request.headers['idempotency-key'])).size, 1, 'every attempt carries the same id')
    const {pending, dead} = await listOutbox(h.redis, h.keys)
    assert.deepEqual(pending, [])
    assert.deepEqual(dead.map((item: Notification) => [item.channel, item.attempts, item.lastError]), [['webhook', 3, `POST ${h.http.url}/*** answered 500`]])
  })

  it('a client error is not retried', async () => {
    h = await harness(() => ({alerts: {channels: {email: {recipients: [], smtp_url: ''}, slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}}}}))
    h.http.status(404)
    const result = await h.step(T0, {'memory.percent': 80})
    assert.equal(result.delivery.dead.length, 1)
    assert.equal(h.http.on('/hook').length, 1)
  })

  it('a dead letter put back with alerts outbox --retry is sent again, with the same id', async () => {
    h = await harness(() => ({alerts: {channels: {email: {recipients: [], smtp_url: ''}, slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}}}}))
    h.http.status(404)
    const [dead] = (await h.step(T0, {'memory.percent': 80})).delivery.dead
    h.http.status(200)
    // repeat_interval 0: this run is a day after the harness clock, and the alert still fires.
    const config = writeConfig(`redis:\n  prefix: ${h.config.redis.prefix}\nalerts:\n  throttling: {repeat_interval: 0}\n  channels:\n    webhook: {url: "${h.http.url}/hook"}\n`)
    const url = testRedisUrl()
    const unknown = await runCli(['alerts', 'outbox', '--retry', 'no-such-id', '--config', config, '--redis-url', url])
    assert.equal(unknown.code, 2)
    const retried = await runCli(['alerts', 'outbox', '--retry', dead?.id ?? '', '--json', '--config', config, '--redis-url', url])
    assert.equal(retried.code, 0, retried.stderr)
    assert.deepEqual(JSON.parse(retried.stdout).requeued, [dead?.id])
    const sent = await runCli(['alert', '--config', config, '--redis-url', url, '--host', HOST])
    assert.equal(sent.code, 0, sent.stderr)
    assert.deepEqual(h.http.on('/hook').map((request) => request.headers['idempotency-key']), [dead?.id, dead?.id])
    assert.deepEqual(await listOutbox(h.redis, h.keys), {pending: [], dead: []})
  })

  it('a dead letter requeued twice (a crash between the two steps) is one outbox entry, sent once', async () => {
    h = await harness()
    const letter = JSON.stringify({id: 'dead-1', channel: 'webhook', host: HOST, kind: 'alert', status: 'firing', severity: 'warning', title: 't', events: [], heldBack: {count: 0, keys: []}, createdAt: T0, attempts: 5, nextAttemptAt: T0})
    await h.redis.zadd(h.keys.deadletter, T0, letter)
    assert.deepEqual(await requeueDead(h.redis, h.keys, 'all', T0 + 1000), ['dead-1'])
    await h.redis.zadd(h.keys.deadletter, T0, letter)
    assert.deepEqual(await requeueDead(h.redis, h.keys, ['dead-1'], T0 + 2000), ['dead-1'])
    assert.equal(await h.redis.zcard(h.keys.outbox), 1)
  })

  it('a redirect is not followed', async () => {
    h = await harness(() => ({alerts: {channels: {email: {recipients: [], smtp_url: ''}, slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}}}}))
    h.http.status(302, {location: 'http://127.0.0.2:9/elsewhere'})
    const result = await h.step(T0, {'memory.percent': 80})
    assert.match(result.delivery.dead[0]?.lastError ?? '', /answered 302 \(redirects are not followed\)/)
  })

  it('a cpu alert names the top processes, escaped in HTML and for Slack', async () => {
    h = await harness()
    await writeSample(h.redis, h.keys, HOST, 'extended', T0, {'proc.count': 2}, {top_cpu: [{pid: 4242, name: '<b>evil</b>', cmdline: 'python3 -c <script>', cpu_percent: 97.5, memory_percent: 1.2}, {pid: 7, name: '<!channel> & <mailto:x@evil.example|click me>', cmdline: '', cpu_percent: 1, memory_percent: 1}]})
    await h.step(T0, {'cpu.percent': 99})
    const slack = h.http.on('/slack')[0]?.body ?? ''
    assert.ok(!slack.includes('<!channel>') && !slack.includes('<mailto:'), slack)
    assert.match(slack, /&lt;!channel&gt; &amp; &lt;mailto:x@evil\.example\|click me&gt;/)
    const mail = h.smtp.mails[0]
    assert.match(mail?.text ?? '', /Top processes by cpu:\n {2}4242 <b>evil<\/b> {2}cpu 97\.5 %/)
    assert.match(mail?.html ?? '', /<td>&lt;b&gt;evil&lt;\/b&gt;<\/td>/)
    assert.doesNotMatch(mail?.html ?? '', /<b>evil<\/b>|<script>/)
    assert.equal((json(h.http.on('/hook')[0]?.body ?? '{}') as unknown as {top_processes: {rows: {name: string}[]}}).top_processes.rows[0]?.name, '<b>evil</b>')
  })

  it('--dry-run changes nothing and sends nothing', async () => {
    h = await harness()
    await writeSample(h.redis, h.keys, HOST, 'basic', T0, {'memory.percent': 80})
    await check({redis: h.redis, keys: h.keys, host: HOST, config: h.config, log, now: () => T0})
    const dry = await alertStage({redis: h.redis, keys: h.keys, host: HOST, config: h.config, log, now: () => T0, dryRun: true})
    assert.equal(dry.queued.length, 5)
    assert.deepEqual(h.counts(), each(0))
    assert.equal(await h.redis.get(h.keys.alertCursor(HOST)), null)
    assert.deepEqual(await listOutbox(h.redis, h.keys), {pending: [], dead: []})
    await alertStage({redis: h.redis, keys: h.keys, host: HOST, config: h.config, log, now: () => T0})
    assert.deepEqual(h.counts(), each(1), 'the real run afterwards still sends')
  })
})

