import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, afterEach, before, describe, it} from 'node:test'

import {alertmanagerPayload, fingerprint, rfc3339} from '../../src/alert/channels/alertmanager-model'
import type {AlertEvent, Notification} from '../../src/alert/notification'
import {harness, type Harness, MIN} from '../helpers/alerting'
import {closedPort, startHttp} from '../helpers/receivers'

const FIXTURE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager', 'webhook-v4.json'), 'utf8')) as {body: {alerts: {labels: Record<string, string>; fingerprint: string}[]}}

describe('the Alertmanager model', () => {
  it('fingerprints a label set as Alertmanager does', () => {
    for (const alert of FIXTURE.body.alerts) assert.equal(fingerprint(alert.labels), alert.fingerprint)
  })

  it('prints times as Go does', () => {
    assert.equal(rfc3339(Date.UTC(2026, 10, 25, 12, 0, 0)), '2026-11-25T12:00:00Z')
    assert.equal(rfc3339(Date.UTC(2026, 10, 25, 12, 0, 0, 250)), '2026-11-25T12:00:00.25Z')
  })

  it('the webhook payload in format alertmanager is, field by field, what a real Alertmanager 0.25 sent for the same alerts (captured)', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0, 250)
    const event = (rule: string, series: string, labels: Record<string, string>, value: number, message: string): AlertEvent =>
      ({host: 'web1', key: `web1/${rule}/${series}`, rule, series, labels, kind: 'firing', severity: 'critical', value, threshold: 95, since: at, at, message})
    const notification: Notification = {
      id: 'n-1', channel: 'webhook', host: 'web1', kind: 'alert', status: 'firing', severity: 'critical', title: '', heldBack: {count: 0, keys: []}, createdAt: at, attempts: 0, nextAttemptAt: at,
      events: [event('disk', 'disk.used_percent{mount="/"}', {mount: '/'}, 96.2, 'disk.used_percent{mount="/"} = 96.2 % (≥ 95)'), event('memory', 'memory.percent', {}, 96, 'memory.percent = 96.0 % (≥ 95)')],
    }
    assert.deepEqual(alertmanagerPayload(notification, {externalUrl: 'http://monitor.example:9093', receiver: 'webhook'}), FIXTURE.body)
  })
})

describe('the alertmanager channel against a real Alertmanager (Debian prometheus-alertmanager)', () => {
  let alertmanager: ChildProcess
  let amUrl: string
  let received: Awaited<ReturnType<typeof startHttp>>
  let h: Harness

  before(async () => {
    received = await startHttp()
    const port = await closedPort()
    const dir = mkdtempSync(join(tmpdir(), 'monitor-am-'))
    writeFileSync(join(dir, 'am.yml'), `route:\n  receiver: webhook\n  group_by: [host]\n  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n  - name: webhook\n    webhook_configs:\n      - url: ${received.url}/from-alertmanager\n        send_resolved: true\n`)
    alertmanager = spawn('prometheus-alertmanager', [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.external-url=http://monitor.example:9093', '--cluster.listen-address='], {stdio: 'ignore'})
    amUrl = `http://127.0.0.1:${port}`
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await fetch(`${amUrl}/-/ready`).then((response) => response.ok, () => false)) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
  after(async () => {
    alertmanager.kill()
    await received.close()
  })
  afterEach(() => h?.close())

  const activeAlerts = async () => (await (await fetch(`${amUrl}/api/v2/alerts?active=true&silenced=false&inhibited=false`)).json()) as {labels: Record<string, string>; endsAt: string; generatorURL: string}[]
  const waitFor = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = await probe()
      if (value !== undefined) return value
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('timed out waiting')
  }

  it('pushes firing alerts Alertmanager reads back, re-posts them every resend_interval whatever the hourly cap, and resolves them', async () => {
    h = await harness((urls) => ({alerts: {
      external_url: 'http://monitor.example:9093',
      throttling: {max_alerts_per_hour: 1},
      channels: {email: {recipients: [], smtp_url: ''}, slack: {webhook_url: ''}, ntfy: {url: ''}, gotify: {url: '', token: ''}, webhook: {url: `${urls.http}/direct`, format: 'alertmanager'}, alertmanager: {url: amUrl}},
    }}))
    // Alertmanager's clock is the real one: the harness clock runs three minutes behind it, so that every
    // time it posts (up to the resolution at +2 min) is in Alertmanager's past, as it would be live.
    const start = Date.now() - 3 * MIN
    await h.step(start, {'memory.percent': 96})
    const [alert] = await waitFor(async () => ((await activeAlerts()).length > 0 ? activeAlerts() : undefined))
    assert.deepEqual(alert?.labels, {alertname: 'memory', host: 'web1', severity: 'critical'})
    assert.equal(alert?.generatorURL, 'http://monitor.example:9093/alerts?key=web1%2Fmemory%2Fmemory.percent')

    // What Alertmanager sends on is what our webhook sends directly in format alertmanager.
    const relayed = await waitFor(async () => received.on('/from-alertmanager')[0])
    assert.equal(relayed.headers['user-agent'], 'Alertmanager/0.25.0')
    assert.deepEqual(JSON.parse(h.http.on('/direct')[0]?.body ?? '{}'), JSON.parse(relayed.body))

    const endsAt = Date.parse(alert?.endsAt ?? '')
    assert.equal(endsAt, start + 4 * MIN, 'posted with endsAt four resend intervals ahead')
    for (let second = 10; second <= 60; second += 10) await h.step(start + second * 1000)
    const [again] = await activeAlerts()
    assert.equal(Date.parse(again?.endsAt ?? ''), start + 5 * MIN, 're-posted at 60 s although the hourly cap (1) was used up')
    assert.equal(h.http.on('/direct').length, 1, 'the webhook, capped and without a repeat due, said nothing more')

    await h.step(start + 2 * MIN, {'memory.percent': 10})
    assert.deepEqual(await activeAlerts(), [], 'resolved in Alertmanager')
    const resolvedRelay = await waitFor(async () => received.on('/from-alertmanager').find((request) => JSON.parse(request.body).status === 'resolved'))
    assert.equal(JSON.parse(resolvedRelay.body).alerts[0].endsAt, rfc3339(start + 2 * MIN))
  })
})
