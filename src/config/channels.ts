import {channelNamed, channels} from '../alert/channels/registry'
import type {ChannelSettings, Config} from './schema'

/** A channel of this type as it is when the configuration says nothing more: on, without a destination, at its type's minimum severity. */
export function channelDefaultsOf(type: string): ChannelSettings {
  const descriptor = channelNamed(type)
  return {type, enabled: true, min_severity: descriptor?.defaultMinSeverity ?? 'warning', ...(descriptor?.defaults as object | undefined)}
}

/** One entry per channel type, named after it: the defaults, so that `alerts.channels.slack: {webhook_url: …}` is all it takes. */
export const defaultChannels = (): Record<string, ChannelSettings> => Object.fromEntries(channels.map((channel) => [channel.name, channelDefaultsOf(channel.name)]))

/** Every named channel completed with its type's defaults (a name that is not a type needs its `type`). */
export function completeChannels(configured: Record<string, Partial<ChannelSettings>>): Record<string, ChannelSettings> {
  return Object.fromEntries(Object.entries(configured).map(([name, entry]) => {
    const type = entry.type ?? name
    return [name, {...channelDefaultsOf(type), ...entry, type} as ChannelSettings]
  }))
}

/** Whether a named channel is on and has its destination (without which it sends nothing). */
export function isOn(config: Pick<Config, 'alerts'>, name: string): boolean {
  const settings = config.alerts.channels[name]
  const destinationKey = settings && channelNamed(settings.type)?.destination
  if (!settings?.enabled || !destinationKey) return false
  const destination = settings[destinationKey]
  return Array.isArray(destination) ? destination.length > 0 : Boolean(destination)
}

/** The names of the channels of one type, in the configuration's order. */
export const channelsOfType = (config: Pick<Config, 'alerts'>, type: string): string[] =>
  Object.entries(config.alerts.channels).filter(([, settings]) => settings.type === type).map(([name]) => name)

/** The email channel that sends what is not a channel's own message (escalation recipients, report --mail): the first of type email with an SMTP server. */
/** Where `report --mail` sends a digest: the SMTP channel when it has recipients of its own; else undefined (and schedule sets up no digest timer). */
export function digestMailbox(config: Pick<Config, 'alerts'>): (ChannelSettings & {smtp_url: string; from?: string; recipients: string[]}) | undefined {
  const settings = smtpChannel(config)?.settings
  return settings?.recipients?.length ? {...settings, recipients: settings.recipients} : undefined
}

export function smtpChannel(config: Pick<Config, 'alerts'>): {name: string; settings: ChannelSettings & {smtp_url: string; from?: string; recipients?: string[]}} | undefined {
  for (const name of channelsOfType(config, 'email')) {
    const settings = config.alerts.channels[name] as ChannelSettings & {smtp_url?: string}
    if (settings.enabled && settings.smtp_url) return {name, settings: settings as ChannelSettings & {smtp_url: string}}
  }
  return undefined
}
