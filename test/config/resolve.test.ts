import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ConfigError} from '../../src/cli/errors'
import {defaults} from '../../src/config/defaults'
import {redactConfig, redactUrl, secretsOf} from '../../src/config/redact'
import {resolveConfig} from '../../src/config/resolve'

describe('resolveConfig', () => {
  it("gives the seed's values when the file is empty", () => {
    const config = resolveConfig(undefined, {})
    assert.deepEqual(config.monitoring.intervals, {basic: 10, detailed: 60, extended: 300})
    assert.deepEqual(config.monitoring.retention, {basic: 3600, detailed: 86400, extended: 604800})
    assert.deepEqual([config.thresholds.cpu.warning, config.thresholds.cpu.error, config.thresholds.cpu.critical], [70, 85, 95])
    assert.deepEqual([config.thresholds.memory.warning, config.thresholds.disk.warning, config.thresholds.io.warning, config.thresholds.network.warning], [75, 80, 70, 70])
    assert.deepEqual(config.alerts.throttling, {min_interval: 300, repeat_interval: 14400, max_alerts_per_hour: 10, grouping_window: 60})
    assert.deepEqual(config.alerts.escalation.levels.map((level) => level.after), [900, 1800, 3600])
    assert.equal(config.analysis.anomaly_detection.sensitivity, 2)
    assert.equal(config.analysis.anomaly_detection.min_data_points, 100)
    assert.equal(config.analysis.correlation.max_lag, 300)
    assert.equal(config.redis.url, 'redis://127.0.0.1:6379/0')
  })

  it('merges a partial file over the defaults, lists replacing lists', () => {
    const config = resolveConfig({thresholds: {cpu: {warning: 60}}, monitoring: {interfaces: {exclude: ['lo', 'docker0']}}}, {})
    assert.deepEqual([config.thresholds.cpu.warning, config.thresholds.cpu.error], [60, 85])
    assert.deepEqual(config.monitoring.interfaces.exclude, ['lo', 'docker0'])
  })

  it('fills ${NAME} references from the environment', () => {
    const config = resolveConfig({alerts: {channels: {email: {recipients: ['a@example.com'], smtp_url: 'smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:2525'}}}}, {SMTP_PASSWORD: 's3cret-pass'})
    assert.equal(config.alerts.channels.email?.smtp_url, 'smtp://mailer:s3cret-pass@127.0.0.1:2525')
  })

  it('reports every problem at once', () => {
    assert.throws(() => resolveConfig({thresholds: {cpu: {warnin: 1}}, redis: {prefix: 7}}, {}), (error: ConfigError) => {
      assert.deepEqual([...error.problems].sort(), ['redis.prefix: expected a string, got a number', 'thresholds.cpu.warnin: unknown key'])
      return true
    })
  })
})

describe('redaction', () => {
  it('hides a URL password and query string', () => {
    assert.equal(redactUrl('redis://:hunter22@10.0.0.5:6379/0'), 'redis://:***@10.0.0.5:6379/0')
    assert.equal(redactUrl('https://example.com/hook?token=abc'), 'https://example.com/hook?***')
  })

  it('hides the path of token-bearing URLs (Slack, ntfy)', () => {
    assert.equal(redactUrl('https://hooks.slack.com/services/T0/B0/XYZ', {hidePath: true}), 'https://hooks.slack.com/***')
  })

  it('hides every secret of a configuration and lists them for scrubbing', () => {
    const config = resolveConfig({
      redis: {url: 'redis://default:redispass@127.0.0.1:6379/0'},
      alerts: {channels: {
        email: {recipients: ['a@example.com'], smtp_url: 'smtp://u:smtppass@127.0.0.1:25'},
        slack: {webhook_url: 'https://hooks.slack.com/services/T0/B0/SLACKTOKEN'},
        gotify: {url: 'https://gotify.example.com', token: 'gotifytoken'},
      }},
    }, {})
    const shown = JSON.stringify(redactConfig(config))
    for (const secret of ['redispass', 'smtppass', 'SLACKTOKEN', 'gotifytoken']) assert.ok(!shown.includes(secret), `${secret} leaked`)
    assert.ok(shown.includes('a@example.com'), 'non-secrets stay')
    assert.deepEqual(secretsOf(config).sort(), ['/services/T0/B0/SLACKTOKEN', 'gotifytoken', 'redispass', 'smtppass'])
    assert.equal(defaults.alerts.channels.gotify?.token, '', 'defaults are untouched')
  })
})
