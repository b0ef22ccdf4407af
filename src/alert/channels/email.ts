import {hostname} from 'node:os'

import {list, str} from '../../config/schema-dsl'
import {htmlBody, notificationTitle, textBody} from '../render'
import {defineChannel, DeliveryError} from './types'

const URL_HINT = {pattern: /^smtps?:\/\/\S+$/i, patternHint: 'expected an SMTP URL such as smtp://user:password@host:587'}

export interface EmailSettings {
  recipients: string[]
  smtp_url: string
  from: string
}

/** Email through SMTP (nodemailer). The notification id is the Message-ID, so a re-send is the same message. */
export default defineChannel<EmailSettings>({
  name: 'email',
  fields: {recipients: list(str()), smtp_url: str({secret: 'url', ...URL_HINT}), from: str()},
  defaults: {recipients: [], smtp_url: '', from: ''},
  destination: 'recipients',
  async send(notification, settings, {timeoutMs}) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: loaded only when an email goes out
    const nodemailer = require('nodemailer') as typeof import('nodemailer')
    // Options with `url`, not (url, options): the second argument would be message defaults and the timeouts ignored.
    const transport = nodemailer.createTransport({url: settings.smtp_url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs} as object)
    try {
      await transport.sendMail({
        from: settings.from || `monitor@${hostname()}`,
        to: notification.recipients ?? settings.recipients,
        subject: notificationTitle(notification),
        text: textBody(notification),
        html: htmlBody(notification),
        messageId: `<${notification.id}@monitor>`,
        headers: {'X-Monitor-Notification-Id': notification.id},
      })
    } catch (error) {
      const {code, responseCode, message} = error as {code?: string; responseCode?: number; message: string}
      // SMTP 5xx (a rejected address, bad credentials) will fail again; 4xx and network trouble may not.
      const retryable = responseCode === undefined ? code !== 'EAUTH' && code !== 'EENVELOPE' : responseCode < 500
      throw new DeliveryError(`SMTP: ${message.split('\n')[0]}`, retryable)
    } finally {
      transport.close()
    }
  },
})
