import {alertKey} from '../../rules/alert-key'
import type {AlertEvent, Notification} from '../notification'
import {eventLine} from '../render'

/**
 * How an alert looks to Alertmanager, shared by the `alertmanager` channel
 * (which pushes to /api/v2/alerts) and the webhook's `alertmanager` format
 * (which sends what Alertmanager's own webhook would). Pure.
 */

/** Alertmanager's "no end" time. */
export const ZERO_TIME = '0001-01-01T00:00:00Z'

/** A time as Go's RFC 3339 with nanoseconds prints it: no fraction when it is zero, no trailing zeros. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_match, digits: string) => (digits ? `.${digits}Z` : 'Z'))
}

/**
 * The fingerprint Alertmanager gives a label set (prometheus/common
 * model.LabelSet.Fingerprint): FNV-1a 64 over the names in order, each name
 * and value followed by the byte 0xff, as 16 hex digits.
 */
export function fingerprint(labels: Record<string, string>): string {
  const prime = 0x100000001b3n
  const mask = (1n << 64n) - 1n
  let hash = 0xcbf29ce484222325n
  const add = (bytes: Iterable<number>) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * prime) & mask
  }
  for (const name of Object.keys(labels).sort()) {
    add(Buffer.from(name, 'utf8'))
    add([0xff])
    add(Buffer.from(labels[name] as string, 'utf8'))
    add([0xff])
  }
  return hash.toString(16).padStart(16, '0')
}

/** The label set: alertname (the rule), host, severity, and the series' labels. */
export const alertLabels = (event: AlertEvent): Record<string, string> =>
  ({alertname: event.rule, host: event.host, severity: event.kind === 'resolved' ? event.previous ?? event.severity : event.severity, ...event.labels})

export const alertAnnotations = (event: AlertEvent): Record<string, string> =>
  ({summary: eventLine(event), description: event.message, value: event.value === null ? '' : String(event.value)})

/** Where a person reads more: alerts.external_url with the alert key, or empty. */
export const generatorUrl = (externalUrl: string, event: AlertEvent): string =>
  externalUrl ? `${externalUrl.replace(/\/+$/, '')}/alerts?key=${encodeURIComponent(event.key)}` : ''

/** The lines an Alertmanager-shaped message carries: for `alert --test`, one made-up alert (MonitorTest, info) that says so. */
export function linesOf(notification: Notification): AlertEvent[] {
  if (notification.kind !== 'test') return notification.events
  const at = notification.createdAt
  return [{
    host: notification.host, key: alertKey(notification.host, 'MonitorTest', 'test'), rule: 'MonitorTest', series: 'test', labels: {}, kind: 'firing', severity: 'info',
    value: null, threshold: null, since: at, at, message: 'a test notification from monitor alert --test: nothing is wrong',
  }]
}

/** One alert per label set: the newest line of each wins (a firing and its resolution in one message are one alert, resolved). */
export function latestPerAlert(events: readonly AlertEvent[]): AlertEvent[] {
  const byFingerprint = new Map<string, AlertEvent>()
  for (const event of events) byFingerprint.set(fingerprint({...alertLabels(event), severity: ''}), event)
  return [...byFingerprint.values()]
}

/** The labels (or annotations) every alert has with the same value. */
export function common(sets: readonly Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = sets
  if (!first) return {}
  return Object.fromEntries(Object.entries(first).filter(([name, value]) => rest.every((set) => set[name] === value)))
}

/** Alertmanager's webhook payload (version 4), as Alertmanager itself would send it for this notification. */
export function alertmanagerPayload(notification: Notification, {externalUrl, receiver}: {externalUrl: string; receiver: string}): object {
  const alerts = latestPerAlert(linesOf(notification)).map((event) => {
    const labels = alertLabels(event)
    return {
      status: event.kind === 'resolved' ? 'resolved' : 'firing',
      labels,
      annotations: alertAnnotations(event),
      startsAt: rfc3339(event.since),
      endsAt: event.kind === 'resolved' ? rfc3339(event.at) : ZERO_TIME,
      generatorURL: generatorUrl(externalUrl, event),
      fingerprint: fingerprint(labels),
    }
  }).sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))
  const host = notification.host
  return {
    receiver,
    status: alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: {host},
    commonLabels: common(alerts.map((alert) => alert.labels)),
    commonAnnotations: common(alerts.map((alert) => alert.annotations)),
    externalURL: externalUrl,
    version: '4',
    groupKey: `{}:{host=${JSON.stringify(host)}}`,
    truncatedAlerts: 0,
  }
}
