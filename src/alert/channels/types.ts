import type {Node} from '../../config/schema-dsl'
import type {Notification} from '../notification'

/**
 * Thrown by a channel's send(). `retryable` says whether trying again later
 * can help: a timeout, a refused connection, 429 or 5xx can; a 4xx or an
 * address the server rejects cannot.
 */
export class DeliveryError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message)
    this.name = 'DeliveryError'
  }
}

export interface SendContext {
  /** Total time allowed for one delivery, in ms. */
  timeoutMs: number
  /** alerts.external_url: where people read more (Alertmanager's externalURL, generatorURL); may be empty. */
  externalUrl: string
  /** When this attempt is made, ms (a retry may come long after the notification was made). */
  sentAt: number
}

/**
 * One notification channel, one file. `fields` extends the channel's
 * configuration schema (enabled and min_severity are common to all);
 * `destination` names the key without which the channel stays off. send()
 * loads its heavy libraries itself, so that a run that sends nothing never
 * pays for them.
 */
export interface Channel<Settings = Record<string, unknown>> {
  name: string
  fields: Record<string, Node>
  defaults: Settings
  destination: keyof Settings & string
  /** Seconds after which an alert still firing is told again on this channel, instead of alerts.throttling.repeat_interval. */
  resendS?: (settings: Settings) => number
  /** False for a channel that is not a person's inbox (Alertmanager): the hourly cap does not apply. */
  capped?: boolean
  /** The min_severity a channel of this type has when the configuration says none (warning otherwise). */
  defaultMinSeverity?: 'info' | 'warning' | 'error' | 'critical'
  send(notification: Notification, settings: Settings, context: SendContext): Promise<void>
}

export const defineChannel = <Settings>(channel: Channel<Settings>): Channel<Settings> => channel
