import {channelNamed} from '../alert/channels/registry'
import {ConfigError} from '../cli/errors'
import {resourceOf} from '../rules/resources'
import {channelsOfType, completeChannels, isOn, smtpChannel} from './channels'
import {defaults} from './defaults'
import {type ChannelSettings, type Config, configSchema, THRESHOLD_RESOURCES} from './schema'
import {normalize, validate} from './schema-dsl'

type Env = Record<string, string | undefined>

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Replaces `${NAME}` in every string with the environment variable NAME.
 * Returns the new value and one problem per variable that is not set.
 */
export function interpolateEnv(value: unknown, env: Env, path = ''): {value: unknown; problems: string[]} {
  if (typeof value === 'string') {
    const problems: string[] = []
    const replaced = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name]
      if (found === undefined) problems.push(`${path}: environment variable ${name} is not set`)
      return found ?? ''
    })
    return {value: replaced, problems}
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => interpolateEnv(item, env, `${path}[${index}]`))
    return {value: items.map((item) => item.value), problems: items.flatMap((item) => item.problems)}
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, child]) => [key, interpolateEnv(child, env, path ? `${path}.${key}` : key)] as const)
    return {
      value: Object.fromEntries(entries.map(([key, child]) => [key, child.value])),
      problems: entries.flatMap(([, child]) => child.problems),
    }
  }
  return {value, problems: []}
}

/** Deep merge: mappings merge key by key, everything else (lists included) replaces. */
export function mergeDeep<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T
  const merged: Record<string, unknown> = {...base}
  for (const [key, value] of Object.entries(override)) merged[key] = mergeDeep(merged[key], value)
  return merged as T
}


/** Keys that were renamed: their old name gets a message that says what to write instead. */
const RENAMED: [RegExp, string][] = [
  [/^(alerts\.escalation\.levels\[\d+\])\.threshold: unknown key$/, '$1.threshold: renamed to after, a duration ("15m"; threshold was in minutes)'],
  [/^redis\.connect_timeout_ms: unknown key$/, 'redis.connect_timeout_ms: renamed to connect_timeout, a duration ("3s", "500ms")'],
]
const explainRenamed = (problem: string): string => RENAMED.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), problem)

/** Rules that span several keys; run on the merged configuration. */
function crossCheck(config: Config, raw: Record<string, unknown>): string[] {
  const problems: string[] = []
  for (const resource of THRESHOLD_RESOURCES) {
    const levels = config.thresholds[resource]
    if (levels.warning > levels.error) problems.push(`thresholds.${resource}.warning: must not be above thresholds.${resource}.error (${levels.warning} > ${levels.error})`)
    if (levels.error > levels.critical) problems.push(`thresholds.${resource}.error: must not be above thresholds.${resource}.critical (${levels.error} > ${levels.critical})`)
  }
  const {points, of} = config.analysis.anomaly_detection.persistence
  if (points > of) problems.push(`analysis.anomaly_detection.persistence.points: must not be above persistence.of (${points} > ${of})`)
  const levels = config.alerts.escalation.levels
  levels.forEach((level, index) => {
    if (typeof level.after !== 'number') problems.push(`alerts.escalation.levels[${index}].after: required, a duration such as "15m"`)
    const previous = levels[index - 1]
    if (previous && level.after <= previous.after) problems.push(`alerts.escalation.levels[${index}].after: must be later than the level before it (${level.after} s <= ${previous.after} s)`)
    for (const name of level.channels ?? []) {
      const settings = config.alerts.channels[name]
      if (!settings) problems.push(`alerts.escalation.levels[${index}].channels: no channel named ${name} (${Object.keys(config.alerts.channels).join(', ')})`)
      else if (config.alerts.escalation.enabled && !isOn(config, name)) {
        problems.push(`alerts.escalation.levels[${index}].channels: ${name} is off or has no ${channelNamed(settings.type)?.destination ?? 'destination'}, so nobody would be told`)
      }
    }
  })
  // A channel the user switched on explicitly but gave no destination is a mistake worth
  // naming; a channel that is merely enabled by default stays silently off.
  const rawChannels = (raw.alerts as {channels?: Record<string, {enabled?: unknown}>} | undefined)?.channels ?? {}
  for (const [name, settings] of Object.entries(config.alerts.channels)) {
    const key = channelNamed(settings.type)?.destination ?? ''
    if (rawChannels[name]?.enabled === true && !isOn(config, name)) problems.push(`alerts.channels.${name}.${key}: required when alerts.channels.${name}.enabled is true`)
  }
  const escalating = config.alerts.escalation.enabled && levels.some((level) => (level.recipients ?? []).length > 0)
  if (escalating && !smtpChannel(config)) {
    const email = channelsOfType(config, 'email')[0] ?? 'email'
    problems.push(config.alerts.channels[email]?.enabled === false
      ? `alerts.channels.${email}.enabled: escalation levels have recipients, but email is off`
      : `alerts.channels.${email}.smtp_url: required when alerts.escalation.levels have recipients`)
  }
  for (const name of channelsOfType(config, 'email')) {
    const email = config.alerts.channels[name] as {recipients?: string[]; smtp_url?: string}
    if (email.recipients?.length && !email.smtp_url) problems.push(`alerts.channels.${name}.smtp_url: required when alerts.channels.${name}.recipients is set`)
  }
  for (const name of channelsOfType(config, 'gotify')) {
    const gotify = config.alerts.channels[name] as {url?: string; token?: string}
    if (gotify.url && !gotify.token) problems.push(`alerts.channels.${name}.token: required when alerts.channels.${name}.url is set`)
  }
  for (const [series, override] of Object.entries(config.thresholds.overrides)) {
    if (!/^[a-z_.]+(\{.*\})?$/.test(series)) problems.push(`thresholds.overrides.${series}: not a series name such as disk.used_percent{mount="/"}`)
    const resource = resourceOf(series)
    if (!resource) {
      problems.push(`thresholds.overrides.${series}: no threshold resource watches this series`)
      continue
    }
    const base = config.thresholds[resource]
    const merged = {...base, ...Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined))}
    if (merged.warning > merged.error || merged.error > merged.critical) problems.push(`thresholds.overrides.${series}: levels out of order (warning ${merged.warning}, error ${merged.error}, critical ${merged.critical})`)
  }
  for (const [index, window] of config.alerts.maintenance.entries()) {
    if (window.days.length === 0) problems.push(`alerts.maintenance[${index}].days: list at least one day (mon … sun)`)
  }
  try {
    new RegExp(config.monitoring.disks.exclude)
  } catch {
    problems.push(`monitoring.disks.exclude: not a valid regular expression: ${config.monitoring.disks.exclude}`)
  }
  return problems
}

/**
 * Turns the raw contents of a configuration file into the effective
 * configuration: `${ENV}` references, strict validation, defaults, cross-key
 * rules. Throws ConfigError (exit 2) whose message names every bad key path.
 */
export function resolveConfig(raw: unknown, env: Env, source?: string): Config {
  if (raw === undefined || raw === null) raw = {}
  const {value: interpolated, problems: envProblems} = interpolateEnv(raw, env)
  const problems = [...validate(configSchema, interpolated).map(explainRenamed), ...envProblems]
  if (problems.length > 0) throw new ConfigError(problems, source)
  const value = normalize(configSchema, interpolated)
  const merged = mergeDeep(defaults, value)
  // A named channel takes the defaults of its type, not those of the default entry that shares its name.
  const configured = ((value as {alerts?: {channels?: Record<string, Partial<ChannelSettings>>}}).alerts?.channels) ?? {}
  const config: Config = {...merged, alerts: {...merged.alerts, channels: {...defaults.alerts.channels, ...completeChannels(configured)}}}
  const crossProblems = crossCheck(config, value as Record<string, unknown>)
  if (crossProblems.length > 0) throw new ConfigError(crossProblems, source)
  return config
}
