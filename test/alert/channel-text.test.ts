import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import alertmanager from '../../src/alert/channels/alertmanager'
import {ntfyTarget} from '../../src/alert/channels/ntfy'
import {DeliveryError} from '../../src/alert/channels/types'
import {slackEscape} from '../../src/alert/channels/slack'
import {runCli, writeConfig} from '../helpers/cli'
import {closedPort, startHttp, startSmtp} from '../helpers/receivers'

describe('channel text', () => {
  it('Slack: &, < and > escaped', () => assert.equal(slackEscape('<!channel> a&b <https://x|y>'), '&lt;!channel&gt; a&amp;b &lt;https://x|y&gt;'))
  const targets: [string, string, string][] = [
    ['https://ntfy.sh/alerts', 'https://ntfy.sh/', 'alerts'],
    ['https://push.example/ntfy/home-alerts', 'https://push.example/ntfy/', 'home-alerts'],
    ['http://127.0.0.1:8080/a%20b', 'http://127.0.0.1:8080/', 'a b'],
  ]
  for (const [url, root, topic] of targets) it(`ntfy: ${url} → ${root} + ${topic}`, () => assert.deepEqual(ntfyTarget(url), {root, topic}))
})

describe('monitor alert --test', () => {
  it('sends one marked test notification per channel, now, and names each one that failed (exit 6)', async () => {
    const smtp = await startSmtp()
    const http = await startHttp()
    try {
      const config = writeConfig(`alerts:\n  channels:\n    email: {recipients: [ops@example.com], smtp_url: "smtp://127.0.0.1:${smtp.port}"}\n    webhook: {url: "${http.url}/hook"}\n    slack: {webhook_url: "${http.url}/slack"}\n`, 'monitor.config.yaml')
      const env = {MONITOR_REDIS_URL: `redis://127.0.0.1:${await closedPort()}/0`}
      const one = await runCli(['alert', '--test', 'webhook', '--config', config, '--host', 'web1'], env)
      assert.equal(one.code, 0, one.stderr)
      assert.equal(one.stdout, 'webhook: sent\n')
      const payload = JSON.parse(http.on('/hook')[0]?.body ?? '{}') as {kind: string; title: string}
      assert.deepEqual([payload.kind, payload.title], ['test', '[monitor] TEST web1: a test notification (nothing is wrong)'])
      http.status(500)
      const all = await runCli(['alert', '--test', '--config', config, '--host', 'web1'], env)
      assert.equal(all.code, 6, all.stderr)
      assert.match(all.stdout, /^email: sent$/m)
      assert.match(all.stdout, /^slack: FAILED: POST http:\/\/127\.0\.0\.1:\d+\/\*\*\* answered 500$/m)
      assert.match(all.stderr, /^monitor: test notification not delivered by slack \(POST .* answered 500\); webhook \(POST .* answered 500\)$/m)
      assert.match(smtp.mails[0]?.subject ?? '', /^\[monitor\] TEST web1/)
      const unknown = await runCli(['alert', '--test', 'gotify', '--config', config], env)
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /CHANNEL: gotify is not an enabled channel with a destination/)
    } finally {
      await Promise.all([smtp.close(), http.close()])
    }
  })
})

describe('review cases', () => {
  it('ntfy keeps ?auth= and refuses a topic that is not valid without retrying', () => {
    assert.deepEqual(ntfyTarget('https://ntfy.example/alerts?auth=abc'), {root: 'https://ntfy.example/?auth=abc', topic: 'alerts'})
    assert.throws(() => ntfyTarget('https://ntfy.example/%E0%A4%A'), (error: unknown) => error instanceof DeliveryError && !error.retryable)
  })

  it('alertmanager: a retry long after the notification was made posts an end ahead of the send time; a test posts one MonitorTest alert', async () => {
    const http = await startHttp()
    try {
      const made = Date.UTC(2026, 10, 25, 12)
      const sentAt = made + 30 * 60_000
      const event = {host: 'web1', key: 'web1/memory/memory.percent', rule: 'memory', series: 'memory.percent', labels: {}, kind: 'firing' as const, severity: 'error' as const, value: 90, threshold: 85, since: made, at: made, message: 'm'}
      const base = {id: 'n', channel: 'am', host: 'web1', status: 'firing' as const, severity: 'error' as const, title: 't', heldBack: {count: 0, keys: []}, createdAt: made, attempts: 3, nextAttemptAt: made}
      const settings = {url: http.url, username: '', password: '', bearer_token: '', resend_interval: 60}
      await alertmanager.send({...base, kind: 'alert', events: [event]}, settings, {timeoutMs: 2000, externalUrl: '', sentAt})
      const [posted] = JSON.parse(http.requests[0]?.body ?? '[]') as {endsAt: string}[]
      assert.equal(Date.parse(posted?.endsAt ?? ''), sentAt + 4 * 60_000)
      await alertmanager.send({...base, kind: 'test', events: []}, settings, {timeoutMs: 2000, externalUrl: '', sentAt})
      const test = JSON.parse(http.requests[1]?.body ?? '[]') as {labels: Record<string, string>}[]
      assert.deepEqual(test.map((alert) => alert.labels), [{alertname: 'MonitorTest', host: 'web1', severity: 'info'}])
    } finally {
      await http.close()
    }
  })

  it('a named channel takes the defaults and the secret fields of its type', async () => {
    const tokenFile = writeConfig('gotify-app-token\n', 'token')
    const config = writeConfig(`alerts:\n  channels:\n    slack: {type: email, recipients: [a@example.com], smtp_url: "smtp://127.0.0.1:25"}\n    push: {type: gotify, url: "https://gotify.example.com", token_file: "${tokenFile}"}\n`, 'monitor.config.yaml')
    const shown = await runCli(['config', 'show', '--json', '--config', config])
    assert.equal(shown.code, 0, shown.stderr)
    const channels = JSON.parse(shown.stdout).alerts.channels as Record<string, Record<string, unknown>>
    assert.deepEqual([channels.slack?.type, channels.slack?.min_severity, 'webhook_url' in (channels.slack ?? {})], ['email', 'warning', false])
    assert.deepEqual([channels.push?.type, channels.push?.token], ['gotify', '***'], 'token_file read for a gotify channel named push, and hidden')
  })
})
