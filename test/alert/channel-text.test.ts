import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ntfyTarget} from '../../src/alert/channels/ntfy'
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
