import {duration, str} from '../../config/schema-dsl'
import {alertAnnotations, alertLabels, generatorUrl, linesOf, rfc3339} from './alertmanager-model'
import {post} from './http'
import {defineChannel} from './types'

export interface AlertmanagerSettings {
  url: string
  username: string
  password: string
  bearer_token: string
  /** How often an alert still firing is posted again (Alertmanager resolves what it stops hearing about). */
  resend_interval: number
}

/**
 * Pushes alerts to a real Alertmanager (`POST /api/v2/alerts`), for users who
 * route there already. A firing alert is posted with `endsAt` four resend
 * intervals ahead and posted again every `resend_interval`, as Prometheus
 * does, so Alertmanager never resolves it by itself while it fires, and
 * resolves what we stop posting (a severity we never told it ended) within
 * four intervals. The severity is a label: when it changes, the label set
 * of the severity before is posted as resolved at once.
 */
export default defineChannel<AlertmanagerSettings>({
  name: 'alertmanager',
  fields: {
    url: str({secret: 'url', pattern: /^https?:\/\/\S+$/i, patternHint: "expected Alertmanager's base URL, http://alertmanager:9093"}),
    username: str(),
    password: str({secret: 'token'}),
    bearer_token: str({secret: 'token'}),
    resend_interval: duration({min: 10}),
  },
  defaults: {url: '', username: '', password: '', bearer_token: '', resend_interval: 60},
  destination: 'url',
  resendS: (settings) => settings.resend_interval,
  capped: false,
  async send(notification, settings, {timeoutMs, externalUrl, sentAt}) {
    // From when this attempt is made: a retry or a requeued dead letter must not post an end already past.
    const now = sentAt
    const alerts = linesOf(notification).flatMap((event) => {
      const labels = alertLabels(event)
      const current = {
        labels,
        annotations: alertAnnotations(event),
        startsAt: rfc3339(event.since),
        endsAt: rfc3339(event.kind === 'resolved' ? Math.min(event.at, now) : now + 4 * settings.resend_interval * 1000),
        generatorURL: generatorUrl(externalUrl, event),
      }
      const before = event.kind === 'severity' && event.previous ? [{...current, labels: {...labels, severity: event.previous}, endsAt: rfc3339(now)}] : []
      return [current, ...before]
    })
    const headers: Record<string, string> = {'content-type': 'application/json', 'x-monitor-notification-id': notification.id}
    if (settings.bearer_token) headers.authorization = `Bearer ${settings.bearer_token}`
    else if (settings.username) headers.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`
    await post(`${settings.url.replace(/\/+$/, '')}/api/v2/alerts`, JSON.stringify(alerts), headers, timeoutMs)
  },
})
