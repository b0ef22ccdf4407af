import {oneOf, str} from '../../config/schema-dsl'
import type {Notification} from '../notification'
import {eventLine, notificationTitle} from '../render'
import {post} from './http'
import {defineChannel} from './types'

export interface WebhookSettings {
  url: string
  format: 'monitor' | 'alertmanager'
}

/** The payload of format `monitor` (documented in the README). */
export function monitorPayload(notification: Notification): object {
  return {
    version: 1,
    id: notification.id,
    host: notification.host,
    kind: notification.kind,
    status: notification.status,
    severity: notification.severity,
    title: notificationTitle(notification),
    alerts: notification.events.map((event) => ({
      key: event.key, rule: event.rule, series: event.series, labels: event.labels, event: event.kind,
      severity: event.severity, previous_severity: event.previous ?? null, value: event.value, threshold: event.threshold,
      since: new Date(event.since).toISOString(), at: new Date(event.at).toISOString(), message: event.message,
    })),
    held_back: notification.heldBack,
    top_processes: notification.topProcesses ?? null,
    created_at: new Date(notification.createdAt).toISOString(),
  }
}

/** Alertmanager's webhook payload (version 4), so existing Alertmanager receivers work unchanged. */
export function alertmanagerPayload(notification: Notification): object {
  const alerts = notification.events.map((event) => ({
    status: event.kind === 'resolved' ? 'resolved' : 'firing',
    labels: {alertname: event.rule, host: notification.host, severity: event.severity, series: event.series, ...event.labels},
    annotations: {summary: eventLine(event), description: event.message},
    startsAt: new Date(event.since).toISOString(),
    endsAt: event.kind === 'resolved' ? new Date(event.at).toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint: event.key,
  }))
  return {
    version: '4',
    groupKey: `{}:{host="${notification.host}"}`,
    truncatedAlerts: 0,
    status: notification.status,
    receiver: 'monitor',
    groupLabels: {host: notification.host},
    commonLabels: {host: notification.host},
    commonAnnotations: {},
    externalURL: '',
    alerts,
  }
}

/** A JSON POST; the notification id is also sent as the Idempotency-Key header. */
export default defineChannel<WebhookSettings>({
  name: 'webhook',
  fields: {url: str({secret: 'url', pattern: /^https?:\/\/\S+$/i, patternHint: 'expected an http:// or https:// URL'}), format: oneOf(['monitor', 'alertmanager'])},
  defaults: {url: '', format: 'monitor'},
  destination: 'url',
  async send(notification, settings, {timeoutMs}) {
    const payload = settings.format === 'alertmanager' ? alertmanagerPayload(notification) : monitorPayload(notification)
    await post(settings.url, JSON.stringify(payload), {'content-type': 'application/json', 'idempotency-key': notification.id, 'x-monitor-notification-id': notification.id}, timeoutMs)
  },
})
