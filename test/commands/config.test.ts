import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {runCli, writeConfig} from '../helpers/cli'

describe('monitor config', () => {
  const secretConfig = writeConfig(`redis:
  url: redis://default:\${MON_TEST_REDIS_PASS}@127.0.0.1:6379/0
alerts:
  channels:
    email:
      recipients: [admin@example.com]
      smtp_url: smtp://mailer:smtp-pass-123@127.0.0.1:2525
    slack:
      webhook_url: https://hooks.slack.com/services/T000/B000/SLACKSECRET
`)

  it('shows the effective configuration with secrets hidden', async () => {
    const result = await runCli(['config', 'show', '--config', secretConfig], {MON_TEST_REDIS_PASS: 'redis-pass-456'})
    assert.equal(result.code, 0, result.stderr)
    for (const secret of ['redis-pass-456', 'smtp-pass-123', 'SLACKSECRET']) assert.ok(!result.stdout.includes(secret), `${secret} leaked`)
    assert.match(result.stdout, /smtp_url: smtp:\/\/mailer:\*\*\*@127\.0\.0\.1:2525/)
    assert.match(result.stdout, /warning: 70/)
  })

  it('shows it as JSON with --json, secrets hidden', async () => {
    const result = await runCli(['config', 'show', '--json', '--config', secretConfig], {MON_TEST_REDIS_PASS: 'redis-pass-456'})
    const shown = JSON.parse(result.stdout)
    assert.equal(shown.redis.url, 'redis://default:***@127.0.0.1:6379/0')
    assert.equal(shown.alerts.channels.slack.webhook_url, 'https://hooks.slack.com/***')
  })

  it('validates a good file and exits 0', async () => {
    const result = await runCli(['config', 'validate', writeConfig('thresholds:\n  disk:\n    warning: 85\n')])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /: ok\n$/)
  })

  it('rejects a bad file with exit 2 and the key path', async () => {
    const file = writeConfig('{"monitoring": {"intervals": {"basic": "10 seconds"}}}', 'monitor.config.json')
    const result = await runCli(['config', 'validate', file])
    assert.equal(result.code, 2)
    assert.equal(result.stderr, `monitor: ${file}: monitoring.intervals.basic: expected a duration such as 90, "90s", "5m" or "1h", got "10 seconds"\n`)
    const fine = await runCli(['config', 'validate', writeConfig('{"monitoring": {"intervals": {"basic": "10s"}}}', 'monitor.config.json')])
    assert.equal(fine.code, 0, fine.stderr)
  })

  it('says a missing file is missing', async () => {
    const result = await runCli(['config', 'validate', '/nonexistent/monitor.yaml'])
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'monitor: /nonexistent/monitor.yaml: no such configuration file\n')
  })

  it('reports a YAML syntax error in one line, with the file, line, column and reason', async () => {
    const file = writeConfig('thresholds: [unclosed\n')
    const result = await runCli(['config', 'validate', file])
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    assert.match(result.stderr, /^monitor: \/tmp\/.*\/monitor\.config\.yaml: line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a \]$/m)
  })
})
