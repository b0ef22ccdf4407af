import type {Severity} from '../../config/schema'
import {str} from '../../config/schema-dsl'
import {notificationTitle, textBody} from '../render'
import {post} from './http'
import {defineChannel, DeliveryError} from './types'

export interface NtfySettings {
  url: string
  token: string
}

/** ntfy priorities run from 1 (min) to 5 (max/urgent). */
export const NTFY_PRIORITY: Record<Severity, number> = {info: 2, warning: 3, error: 4, critical: 5}
const TAGS: Record<Severity, string> = {info: 'information_source', warning: 'warning', error: 'rotating_light', critical: 'rotating_light,skull'}

/** The server root and the topic of a topic URL (`https://ntfy.sh/alerts` → `https://ntfy.sh/`, `alerts`). Pure. */
export function ntfyTarget(topicUrl: string): {root: string; topic: string} {
  const url = new URL(topicUrl)
  const parts = url.pathname.split('/').filter(Boolean)
  const topic = parts.pop() ?? ''
  // The query string stays: ntfy takes ?auth=… there.
  url.pathname = `/${parts.map((part) => `${part}/`).join('')}`
  try {
    return {root: url.toString(), topic: decodeURIComponent(topic)}
  } catch {
    throw new DeliveryError(`ntfy: the topic in the URL is not valid (${topic.length} characters)`, false)
  }
}

/** ntfy: the text as a JSON message to the topic, with title, priority and tags. */
export default defineChannel<NtfySettings>({
  name: 'ntfy',
  fields: {url: str({secret: 'url-path', pattern: /^https?:\/\/\S+$/i, patternHint: 'expected the topic URL, https://ntfy.sh/<topic>'}), token: str({secret: 'token'})},
  defaults: {url: '', token: ''},
  destination: 'url',
  async send(notification, settings, {timeoutMs}) {
    // Published as JSON to the server's root (ntfy's "publish as JSON"): a title in a header would have to
    // be Latin-1, and "≥" or a host name in UTF-8 would arrive as "?".
    const {root, topic} = ntfyTarget(settings.url)
    const body = {
      topic,
      title: notificationTitle(notification),
      message: textBody(notification),
      priority: notification.status === 'resolved' ? 2 : NTFY_PRIORITY[notification.severity],
      tags: (notification.status === 'resolved' ? 'white_check_mark' : TAGS[notification.severity]).split(','),
    }
    const headers: Record<string, string> = {'content-type': 'application/json', 'x-monitor-notification-id': notification.id}
    if (settings.token) headers.authorization = `Bearer ${settings.token}`
    await post(root, JSON.stringify(body), headers, timeoutMs)
  },
})
