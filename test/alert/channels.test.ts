import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {monitorPayload} from '../../src/alert/channels/webhook'
import type {Notification} from '../../src/alert/notification'
import {escapeHtml, htmlBody, notificationTitle} from '../../src/alert/render'

const T0 = Date.UTC(2026, 10, 24, 12)
const notification: Notification = {
  id: 'n-1', channel: 'webhook', host: 'web1', kind: 'alert', status: 'firing', severity: 'critical', title: '',
  events: [
    {host: 'web1', key: 'web1/disk/disk.used_percent{mount="/"}', rule: 'disk', series: 'disk.used_percent{mount="/"}', labels: {mount: '/'}, kind: 'firing', severity: 'critical', value: 96.2, threshold: 95, since: T0, at: T0, message: 'disk.used_percent{mount="/"} = 96.2 % (≥ 95)'},
    {host: 'web1', key: 'web1/service/<x>.service', rule: 'service', series: 'services.failed', labels: {unit: '<x>.service'}, kind: 'resolved', severity: 'error', previous: 'error', value: null, threshold: null, since: T0 - 60_000, at: T0, message: '<x>.service failed'},
  ],
  heldBack: {count: 0, keys: []}, createdAt: T0, attempts: 0, nextAttemptAt: T0,
}

describe('notification payloads', () => {
  it('titles a message by severity, host and first alert, counting the rest', () => {
    assert.equal(notificationTitle(notification), '[monitor] CRITICAL web1: disk.used_percent{mount="/"} = 96.2 % (≥ 95) (+1 more)')
  })

  it('documents every alert in the monitor payload', () => {
    const payload = monitorPayload(notification) as {id: string; alerts: {event: string; previous_severity: string | null}[]}
    assert.equal(payload.id, 'n-1')
    assert.deepEqual(payload.alerts.map((alert) => [alert.event, alert.previous_severity]), [['firing', null], ['resolved', 'error']])
  })

  it('escapes everything from the host in HTML', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    const html = htmlBody(notification)
    assert.ok(html.includes('&lt;x&gt;.service failed'))
    assert.ok(!html.includes('<x>'))
  })
})
