import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {it} from 'node:test'

import {parse} from 'yaml'

import {defaults} from '../../src/config/defaults'
import {resolveConfig} from '../../src/config/resolve'

const CONFIG_DIR = join(__dirname, '..', '..', 'config')

/** Every key path of a value, lists and their items left whole. */
const keyPaths = (value: unknown, prefix = ''): string[] =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...keyPaths(child, `${prefix}${key}.`)])
    : []

it('config/monitor.config.yaml validates as shipped, is exactly the built-in defaults, and writes every key out', () => {
  const shipped = parse(readFileSync(join(CONFIG_DIR, 'monitor.config.yaml'), 'utf8'))
  assert.deepEqual(resolveConfig(shipped, {}), defaults)
  // A channel entry leaves `type` to its name and `enabled` to its destination (on by default, silent without one).
  assert.deepEqual(keyPaths(shipped).sort(), keyPaths(defaults).filter((path) => !/^alerts\.channels\.\w+\.(type|enabled)$/.test(path)).sort())
})

it('config/monitor.example.yaml is valid once its environment variables are set', () => {
  const env = {REDIS_PASSWORD: 'r', SMTP_PASSWORD: 's', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', SLACK_ONCALL_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/Y', NTFY_TOPIC: 'alerts', GOTIFY_TOKEN: 'g', HEALTHCHECK_UUID: 'u'}
  const config = resolveConfig(parse(readFileSync(join(CONFIG_DIR, 'monitor.example.yaml'), 'utf8')), env)
  assert.deepEqual(config.alerts.channels.email?.recipients, ['admin@example.com'])
  assert.equal(config.alerts.channels.ntfy?.url, 'https://ntfy.sh/alerts')
  assert.deepEqual([config.alerts.channels['slack-oncall']?.type, config.alerts.channels.alertmanager?.type], ['slack', 'alertmanager'], 'two named channels of one type, and the Alertmanager channel')
  assert.equal(config.alerts.heartbeat.url, 'https://hc-ping.com/u')
})
