import alertmanager from './alertmanager'
import email from './email'
import gotify from './gotify'
import ntfy from './ntfy'
import slack from './slack'
import type {Channel} from './types'
import webhook from './webhook'

/** Every notification channel, once. The configuration schema is built from this list. */
export const channels: readonly Channel<never>[] = [email, slack, webhook, ntfy, gotify, alertmanager] as unknown as Channel<never>[]
export const channelNamed = (name: string): Channel<never> | undefined => channels.find((channel) => channel.name === name)
