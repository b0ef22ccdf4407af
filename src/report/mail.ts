import {hostname} from 'node:os'

import {DeliveryError} from '../alert/channels/types'
import {ConfigError} from '../cli/errors'
import {digestMailbox} from '../config/channels'
import type {Config} from '../config/schema'

/**
 * Sends a report by the configured email channel (html with a text part).
 * Throws ConfigError when email is not configured, DeliveryError when SMTP fails.
 */
export async function mailReport(config: Config, subject: string, html: string, text: string): Promise<string[]> {
  const email = digestMailbox(config)
  if (!email) throw new ConfigError(['alerts.channels: --mail needs an email channel with smtp_url and recipients'])
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only --mail needs it
  const nodemailer = require('nodemailer') as typeof import('nodemailer')
  const timeoutMs = config.alerts.delivery.timeout * 1000
  const transport = nodemailer.createTransport({url: email.smtp_url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs} as object)
  try {
    await transport.sendMail({from: email.from || `monitor@${hostname()}`, to: email.recipients, subject, html, text})
  } catch (error) {
    throw new DeliveryError(`SMTP: ${(error as Error).message.split('\n')[0]}`, true)
  } finally {
    transport.close()
  }
  return email.recipients
}
