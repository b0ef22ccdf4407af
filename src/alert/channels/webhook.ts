import {oneOf, str} from '../../config/schema-dsl'
import type {Notification} from '../notification'
import {notificationTitle} from '../render'
import {alertmanagerPayload} from './alertmanager-model'
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

/** A JSON POST; the notification id is also sent as the Idempotency-Key header. */
export default defineChannel<WebhookSettings>({
  name: 'webhook',
  fields: {url: str({secret: 'url', pattern: /^https?:\/\/\S+$/i, patternHint: 'expected an http:// or https:// URL'}), format: oneOf(['monitor', 'alertmanager'])},
  defaults: {url: '', format: 'monitor'},
  destination: 'url',
  async send(notification, settings, {timeoutMs, externalUrl}) {
    const payload = settings.format === 'alertmanager' ? alertmanagerPayload(notification, {externalUrl, receiver: notification.channel}) : monitorPayload(notification)
    await post(settings.url, JSON.stringify(payload), {'content-type': 'application/json', 'idempotency-key': notification.id, 'x-monitor-notification-id': notification.id}, timeoutMs)
  },
})
