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
  send(notification: Notification, settings: Settings, context: SendContext): Promise<void>
}

export const defineChannel = <Settings>(channel: Channel<Settings>): Channel<Settings> => channel
