import {channels} from '../alert/channels/registry'
import {bool, duration, type Infer, int, list, map, num, obj, oneOf, optional, str, tagged, typed} from './schema-dsl'

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

/** A duration in whole seconds: 90, "90s", "5m", "1h", "1d". */
const seconds = (min = 0) => duration({min})
const percent = () => num({min: 0, max: 100})
const urlPattern = {pattern: /^[a-z][a-z0-9+.-]*:\/\/\S+$/i, patternHint: 'expected a URL such as https://host/path'}

const threshold = obj({
  warning: percent(),
  error: percent(),
  critical: percent(),
  /** Seconds a value must stay above a threshold before the alert fires (0 = at once). */
  for: seconds(),
  /** Points below the threshold a value must fall before the alert clears or steps down. */
  hysteresis: num({min: 0, max: 50}),
})

const channelBase = {
  enabled: bool(),
  min_severity: oneOf(SEVERITIES),
}

/** The settings every channel has; each channel file adds its own fields. */
export interface ChannelSettings {
  /** The channel type (a name in the channel registry); the entry's own name when not given. */
  type: string
  enabled: boolean
  min_severity: Severity
  [field: string]: unknown
}

/**
 * alerts.channels: named channels, each of a type from the channel registry
 * (`type`, default its name): `slack: {…}` and `oncall: {type: slack, …}`.
 * Built from the registry: a new channel type needs no edit here.
 */
const channelsSchema = typed<Record<string, ChannelSettings>>()(
  tagged(Object.fromEntries(channels.map((channel) => [channel.name, obj({...channelBase, ...channel.fields})]))),
)

const thresholdOverride = obj({
  warning: optional(percent()),
  error: optional(percent()),
  critical: optional(percent()),
  for: optional(seconds()),
  hysteresis: optional(num({min: 0, max: 50})),
})

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const clock = str({pattern: /^([01]\d|2[0-3]):[0-5]\d$/, patternHint: 'expected a time of day such as 03:00'})

/** The whole configuration file. Key paths follow the seed (`thresholds.cpu.warning`). */
export const configSchema = obj({
  redis: obj({
    url: str({secret: 'url', ...urlPattern}),
    prefix: str({pattern: /^[A-Za-z0-9_.-]+$/, patternHint: 'letters, digits, ".", "_" and "-" only'}),
    cluster: list(str({secret: 'url', ...urlPattern})),
    sentinels: list(str({secret: 'url', ...urlPattern})),
    name: str(),
    tls_ca_file: str(),
    /** How long to wait for Redis to answer before giving up (exit 3): "3s", "500ms". */
    connect_timeout: duration({min: 0.1, max: 60, integer: false}),
  }),
  state_dir: str(),
  spool: obj({
    /** Samples kept locally while Redis is down; the oldest are dropped beyond this (8640 = a day of basic samples). */
    max_entries: int({min: 1}),
  }),
  logging: obj({
    format: oneOf(['text', 'json']),
  }),
  monitoring: obj({
    intervals: obj({basic: seconds(1), detailed: seconds(1), extended: seconds(1)}),
    retention: obj({basic: seconds(1), detailed: seconds(1), extended: seconds(1)}),
    filesystems: obj({
      /** Filesystem types left out (pseudo and virtual filesystems). */
      exclude_types: list(str()),
      exclude_mounts: list(str()),
      /** When non-empty, only these mount points are watched. */
      include_mounts: list(str()),
    }),
    interfaces: obj({include: list(str()), exclude: list(str())}),
    disks: obj({
      /** Block devices left out of disk I/O, as a regular expression on the device name. */
      exclude: str(),
    }),
    processes: obj({top: int({min: 0, max: 100})}),
    services: obj({enabled: bool()}),
    /** `prune` forgets a host (all its keys) not seen for this long; 0 = never. */
    forget_hosts_after: seconds(),
  }),
  thresholds: obj({
    cpu: threshold,
    memory: threshold,
    disk: threshold,
    io: threshold,
    network: threshold,
    /** Per-series levels, keyed by series name (`disk.used_percent{mount="/backup"}`); unset keys come from the resource. */
    overrides: map(thresholdOverride),
  }),
  rules: obj({
    /** A systemd unit the extended tier saw failed; `units` limits it to those units. */
    service: obj({enabled: bool(), severity: oneOf(SEVERITIES), units: list(str())}),
    /** A threshold crossing that `analyze` forecasts within its horizon; severity of that threshold. */
    forecast: obj({enabled: bool(), for: seconds()}),
    /** An anomaly that `analyze` found; `for` = how long the finding must last before it fires. */
    anomaly: obj({enabled: bool(), severity: oneOf(SEVERITIES), for: seconds()}),
    /** A host that has not reported for `after` seconds; checked by every other host's `check`. */
    host_silent: obj({enabled: bool(), after: seconds(30), severity: oneOf(SEVERITIES)}),
    /** Seconds an alert whose series stopped reporting is kept before it ends ("not reported for …"); 0 = ten basic intervals. */
    absent_after: seconds(),
  }),
  alerts: obj({
    channels: channelsSchema,
    /** A push URL (healthchecks.io, Uptime Kuma) pinged by every completed alert stage, at most once per `every`: a monitor that stopped is noticed from outside. */
    heartbeat: obj({url: str({secret: 'url-path', ...urlPattern}), every: seconds(10)}),
    /** Where people read more about an alert (a Grafana or Alertmanager URL): Alertmanager's externalURL and generatorURL. */
    external_url: str(urlPattern),
    /** Recurring windows in which matching alerts are recorded but not sent (local time). */
    maintenance: list(obj({match: str(), days: list(oneOf(WEEKDAYS)), from: clock, to: clock})),
    delivery: obj({
      /** Attempts per notification before it moves to the dead-letter list. */
      max_attempts: int({min: 1, max: 20}),
      /** Seconds before the first retry; each further retry waits twice as long. */
      retry_backoff: seconds(1),
      /** Seconds one delivery may take (connect, send, answer). */
      timeout: seconds(1),
    }),
    /** How long alert events are kept in the alert log. */
    log_retention: seconds(60),
    /** How long `prune` keeps notifications in the dead-letter list. */
    deadletter_retention: seconds(60),
    throttling: obj({
      /** Within one firing episode, a lower severity is not told again sooner than this after the last message. */
      min_interval: seconds(),
      /** An alert still firing is told again this often (like Alertmanager's repeat_interval); 0 = never. */
      repeat_interval: seconds(),
      max_alerts_per_hour: int({min: 1}),
      grouping_window: seconds(),
    }),
    escalation: obj({
      enabled: bool(),
      /** `after` firing and unacknowledged ("15m"): email to `recipients`, and the named `channels`, from `min_severity` (default warning). */
      levels: list(obj({after: seconds(60), recipients: optional(list(str())), channels: optional(list(str())), min_severity: optional(oneOf(SEVERITIES))})),
    }),
  }),
  analysis: obj({
    anomaly_detection: obj({
      enabled: bool(),
      sensitivity: num({min: 0.1}),
      min_data_points: int({min: 3}),
      training_period: seconds(60),
      method: oneOf(['zscore', 'mad']),
      /** A finding needs `points` of the newest `of` values beyond the sensitivity, on the same side. */
      persistence: obj({points: int({min: 1}), of: int({min: 1})}),
      /** Compare with the same time of day on earlier days (from the extended tier) once it holds two days. */
      daily_pattern: bool(),
    }),
    trend_analysis: obj({
      enabled: bool(),
      window_size: seconds(60),
      /** The second, longer window (from the tier that covers it) for slow fills. */
      long_window: seconds(60),
      forecast_horizon: seconds(60),
      min_r2: num({min: 0, max: 1}),
      min_points: int({min: 3}),
    }),
    correlation: obj({
      enabled: bool(),
      min_correlation: num({min: 0, max: 1}),
      max_lag: seconds(),
      /** A pair needs this many slots where both moved well beyond their usual change, the same way. */
      min_co_movements: int({min: 1}),
      /** At most this many series (those that moved most of late) are paired: the cost is their square. */
      max_series: int({min: 2}),
    }),
    /** How long past analysis results are kept in the history stream. */
    history_retention: seconds(60),
  }),
})

export type Config = Infer<typeof configSchema>
export type Weekday = (typeof WEEKDAYS)[number]
export type ThresholdResource = 'cpu' | 'memory' | 'disk' | 'io' | 'network'
export const THRESHOLD_RESOURCES: readonly ThresholdResource[] = ['cpu', 'memory', 'disk', 'io', 'network']
export type Tier = keyof Config['monitoring']['intervals']
export const TIERS: readonly Tier[] = ['basic', 'detailed', 'extended']

