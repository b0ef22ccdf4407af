import {str} from '../../config/schema-dsl'
import {colourOf, eventLine, notificationTitle} from '../render'
import {post} from './http'
import {defineChannel} from './types'

export interface SlackSettings {
  webhook_url: string
}

/**
 * Slack's escaping for text from the host: `&`, `<` and `>`, as Slack asks,
 * so that a mount or process called `<!channel>` pings nobody and
 * `<mailto:…|click me>` plants no disguised link. Pure.
 */
export const slackEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A Slack incoming webhook: one message with the severity colour and a field per alert. */
export default defineChannel<SlackSettings>({
  name: 'slack',
  fields: {webhook_url: str({secret: 'url-path', pattern: /^https?:\/\/\S+$/i, patternHint: 'expected the webhook URL, https://hooks.slack.com/services/…'})},
  defaults: {webhook_url: ''},
  destination: 'webhook_url',
  // The seed sent Slack only what is an error or worse.
  defaultMinSeverity: 'error',
  async send(notification, settings, {timeoutMs}) {
    const fields = notification.events.slice(0, 20).map((event) => ({title: slackEscape(event.key), value: slackEscape(eventLine(event)), short: false}))
    if (notification.heldBack.count > 0) fields.push({title: 'held back', value: slackEscape(`${notification.heldBack.count} alert(s) held back by the hourly limit: ${notification.heldBack.keys.slice(0, 10).join(', ')}`), short: false})
    const processes = notification.topProcesses?.rows.map((row) => `${row.pid} ${row.name} (cpu ${row.cpu_percent ?? '?'} %, mem ${row.memory_percent ?? '?'} %)`).join('\n')
    if (processes) fields.push({title: `top processes by ${notification.topProcesses?.by}`, value: slackEscape(processes), short: false})
    const body = {
      text: slackEscape(notificationTitle(notification)),
      attachments: [{color: colourOf(notification), fields, footer: slackEscape(`monitor · ${notification.host} · ${notification.id}`), ts: Math.floor(notification.createdAt / 1000)}],
    }
    await post(settings.webhook_url, JSON.stringify(body), {'content-type': 'application/json'}, timeoutMs)
  },
})
