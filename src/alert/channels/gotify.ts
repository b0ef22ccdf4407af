import type {Severity} from '../../config/schema'
import {str} from '../../config/schema-dsl'
import {notificationTitle, textBody} from '../render'
import {post} from './http'
import {defineChannel} from './types'

export interface GotifySettings {
  url: string
  token: string
}

/** Gotify priorities: 0–10; clients treat 8 and above as high. */
export const GOTIFY_PRIORITY: Record<Severity, number> = {info: 2, warning: 5, error: 8, critical: 10}

/** Gotify: POST /message with the application token in the X-Gotify-Key header. */
export default defineChannel<GotifySettings>({
  name: 'gotify',
  fields: {url: str({secret: 'url', pattern: /^https?:\/\/\S+$/i, patternHint: 'expected the server URL, https://gotify.example.com'}), token: str({secret: 'token'})},
  defaults: {url: '', token: ''},
  destination: 'url',
  async send(notification, settings, {timeoutMs}) {
    const body = {
      title: notificationTitle(notification),
      message: textBody(notification),
      priority: notification.status === 'resolved' ? 2 : GOTIFY_PRIORITY[notification.severity],
      extras: {'client::display': {contentType: 'text/plain'}, 'monitor::notification': {id: notification.id}},
    }
    await post(`${settings.url.replace(/\/+$/, '')}/message`, JSON.stringify(body), {'content-type': 'application/json', 'x-gotify-key': settings.token, 'x-monitor-notification-id': notification.id}, timeoutMs)
  },
})
