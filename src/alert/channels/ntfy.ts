import type {Severity} from '../../config/schema'
import {str} from '../../config/schema-dsl'
import {notificationTitle, textBody} from '../render'
import {post} from './http'
import {defineChannel} from './types'

export interface NtfySettings {
  url: string
  token: string
}

/** ntfy priorities run from 1 (min) to 5 (max/urgent). */
export const NTFY_PRIORITY: Record<Severity, number> = {info: 2, warning: 3, error: 4, critical: 5}
const TAGS: Record<Severity, string> = {info: 'information_source', warning: 'warning', error: 'rotating_light', critical: 'rotating_light,skull'}

/** ntfy: a POST of the text to the topic URL, with title, priority and tags in headers. */
export default defineChannel<NtfySettings>({
  name: 'ntfy',
  fields: {url: str({secret: 'url-path', pattern: /^https?:\/\/\S+$/i, patternHint: 'expected the topic URL, https://ntfy.sh/<topic>'}), token: str({secret: 'token'})},
  defaults: {url: '', token: ''},
  destination: 'url',
  async send(notification, settings, {timeoutMs}) {
    const headers: Record<string, string> = {
      // HTTP header values must be Latin-1: the title keeps to ASCII.
      title: notificationTitle(notification).replace(/[^\x20-\x7e]/g, '?'),
      priority: String(notification.status === 'resolved' ? 2 : NTFY_PRIORITY[notification.severity]),
      tags: notification.status === 'resolved' ? 'white_check_mark' : TAGS[notification.severity],
      'x-monitor-notification-id': notification.id,
      'content-type': 'text/plain; charset=utf-8',
    }
    if (settings.token) headers.authorization = `Bearer ${settings.token}`
    await post(settings.url, textBody(notification), headers, timeoutMs)
  },
})
