import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {it} from 'node:test'

import {parse} from 'yaml'

import {defaults} from '../../src/config/defaults'
import {resolveConfig} from '../../src/config/resolve'

const CONFIG_DIR = join(__dirname, '..', '..', 'config')

it('config/monitor.config.yaml validates as shipped and is exactly the built-in defaults', () => {
  const shipped = parse(readFileSync(join(CONFIG_DIR, 'monitor.config.yaml'), 'utf8'))
  assert.deepEqual(resolveConfig(shipped, {}), defaults)
})

it('config/monitor.example.yaml is valid once its environment variables are set', () => {
  const env = {REDIS_PASSWORD: 'r', SMTP_PASSWORD: 's', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', SLACK_ONCALL_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/Y', NTFY_TOPIC: 'alerts', GOTIFY_TOKEN: 'g', HEALTHCHECK_UUID: 'u'}
  const config = resolveConfig(parse(readFileSync(join(CONFIG_DIR, 'monitor.example.yaml'), 'utf8')), env)
  assert.deepEqual(config.alerts.channels.email?.recipients, ['admin@example.com'])
  assert.equal(config.alerts.channels.ntfy?.url, 'https://ntfy.sh/alerts')
  assert.deepEqual([config.alerts.channels['slack-oncall']?.type, config.alerts.channels.alertmanager?.type], ['slack', 'alertmanager'], 'two named channels of one type, and the Alertmanager channel')
  assert.equal(config.alerts.heartbeat.url, 'https://hc-ping.com/u')
})
