import {defaults} from '../config/defaults'
import type {Config} from '../config/schema'

export interface UnitFile {
  name: string
  content: string
}

interface Stage {
  id: string
  what: string
  commands: string[]
  /** Seconds between runs, an OnCalendar= expression, or 'always' for the resident service (no timer). */
  every: number | string
  accuracyS?: number
  /** The crontab schedule of a calendar stage (cron cannot read OnCalendar=). */
  cron?: string
}

/**
 * How the jobs are arranged: `run`, one process per basic interval that does
 * what is due (the default); `per-stage`, a timer per stage; `resident`, one
 * `run --watch` service. Prune, and the digest when email is set up, have
 * their own daily timers in every arrangement.
 */
export type Arrangement = 'run' | 'per-stage' | 'resident'

/** What the installed jobs must carry over from the command line and environment that `schedule` ran with. */
export interface Settings {
  arrangement?: Arrangement
  /** The configuration file in effect (absolute), if one was found. */
  configFile?: string
  /** Variables that were set by a flag or the environment (MONITOR_REDIS_URL, MONITOR_HOST). */
  env: Record<string, string>
  /** Whether email is set up: then a daily digest is scheduled too. */
  digest: boolean
}

/** Where `schedule --systemd --install` keeps the variables: not in the world-readable unit files, since a Redis URL may hold a password. */
export const SYSTEM_ENV_FILE = '/etc/monitor/schedule.env'
/** The credential name under which systemd hands the configuration file to the service user. */
const CONFIG_CREDENTIAL = 'monitor.config'

/** The jobs of an arrangement and their intervals, from the configuration (the seed's by default); the digest when email is set up. */
export function stages(config: Config, digest: boolean, arrangement: Arrangement = 'run'): Stage[] {
  const {basic, detailed, extended} = config.monitoring.intervals
  const pipeline: Stage[] = arrangement === 'per-stage'
    ? [
      {id: 'collect-basic', what: 'collect the basic tier, then check thresholds', commands: ['collect --tier basic --quiet', 'check --quiet'], every: basic, accuracyS: 1},
      {id: 'collect-detailed', what: 'collect the detailed tier', commands: ['collect --tier detailed --quiet'], every: detailed, accuracyS: 1},
      {id: 'collect-extended', what: 'collect the extended tier', commands: ['collect --tier extended --quiet'], every: extended, accuracyS: 5},
      {id: 'analyze', what: 'find anomalies, trends and correlations', commands: ['analyze --quiet'], every: detailed, accuracyS: 5},
      {id: 'alert', what: 'send notifications for new alert events', commands: ['alert --quiet'], every: basic, accuracyS: 1},
    ]
    : arrangement === 'resident'
      ? [{id: 'agent', what: 'the whole pipeline, resident (run --watch)', commands: ['run --watch --quiet'], every: 'always'}]
      : [{id: 'run', what: 'collect what is due, analyze when due, check and alert', commands: ['run --quiet'], every: basic, accuracyS: 1}]
  return [
    ...pipeline,
    {id: 'prune', what: 'apply retention exactly', commands: ['prune --quiet'], every: 'daily', cron: '17 3 * * *'},
    ...(digest ? [{id: 'digest', what: 'mail the daily report', commands: ['report --since 24h --mail --quiet'], every: '*-*-* 07:00:00', cron: '0 7 * * *'}] : []),
  ]
}

/**
 * Sandboxing for a process that reads /proc and /sys, asks systemd for its
 * units over D-Bus and talks to Redis and SMTP/HTTP, as a dynamic user of its
 * own: `systemd-analyze security` rates it 1.7 (test/schedule/units.test.ts).
 * Left out, on purpose: MemoryDenyWriteExecute (Node's JIT needs W+X
 * memory), ProtectProc/ProcSubset (the extended tier reads every process and
 * /proc/meminfo), PrivateNetwork and IP allow lists (Redis and the receivers
 * may be anywhere), PrivateUsers (systemd's D-Bus checks need the real uid).
 */
const HARDENING = [
  'DynamicUser=yes',
  'StateDirectory=monitor',
  'Environment=MONITOR_STATE_DIR=%S/monitor',
  'UMask=0077',
  'CapabilityBoundingSet=',
  'AmbientCapabilities=',
  'NoNewPrivileges=yes',
  'ProtectSystem=strict',
  'ProtectHome=yes',
  'PrivateTmp=yes',
  'PrivateDevices=yes',
  'ProtectKernelTunables=yes',
  'ProtectKernelModules=yes',
  'ProtectKernelLogs=yes',
  'ProtectControlGroups=yes',
  'ProtectClock=yes',
  'ProtectHostname=yes',
  'RestrictNamespaces=yes',
  'RestrictSUIDSGID=yes',
  'RestrictRealtime=yes',
  'LockPersonality=yes',
  'RemoveIPC=yes',
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
  'SystemCallArchitectures=native',
  'SystemCallFilter=@system-service',
  'SystemCallFilter=~@privileged',
  'SystemCallErrorNumber=EPERM',
]

/** Paths a system unit cannot see under ProtectHome=yes and PrivateTmp=yes (nor read as a dynamic user). */
const HIDDEN = /^\/(home|root|run\/user|tmp|var\/tmp)(\/|$)/

/** The parts of `command` that a system unit could not see, if any. Pure. */
export const hiddenPaths = (command: string): string[] => command.split(' ').filter((part) => HIDDEN.test(part))

/**
 * A service and a timer per stage. `command` is how to start monitor (an
 * absolute path, or node and the script). System units run as a dynamic
 * user, read the configuration file as a systemd credential (so that it may
 * stay mode 600) and the variables from SYSTEM_ENV_FILE; user units get the
 * sandboxing an unprivileged user manager can apply, and the settings
 * written in. Pure.
 */
export function systemdUnits(config: Config, command: string, user: boolean, settings: Settings = {env: {}, digest: false}): UnitFile[] {
  const carried = user
    ? [...(settings.configFile ? [`Environment=MONITOR_CONFIG=${settings.configFile}`] : []), ...Object.keys(settings.env).length > 0 ? [`EnvironmentFile=-%h/.config/monitor/schedule.env`] : []]
    : [
      ...(settings.configFile ? [`LoadCredential=${CONFIG_CREDENTIAL}:${settings.configFile}`, `Environment=MONITOR_CONFIG=%d/${CONFIG_CREDENTIAL}`] : []),
      ...(Object.keys(settings.env).length > 0 ? [`EnvironmentFile=-${SYSTEM_ENV_FILE}`] : []),
    ]
  return stages(config, settings.digest, settings.arrangement).flatMap((stage) => {
    const [first, ...after] = stage.commands
    const timeoutS = typeof stage.every === 'number' ? Math.max(60, 6 * stage.every) : 900
    const resident = stage.every === 'always'
    const service = [
      '[Unit]',
      `Description=monitor: ${stage.what}`,
      ...(user ? [] : ['After=network-online.target redis-server.service', 'Wants=network-online.target']),
      '',
      '[Service]',
      // The agent runs until stopped (SIGTERM ends the cycle in progress cleanly) and comes back if it dies.
      ...(resident ? ['Type=simple', `ExecStart=${command} ${first}`, 'Restart=on-failure', 'RestartSec=10s', 'TimeoutStopSec=60s'] : [
        'Type=oneshot',
        `ExecStart=${command} ${first}`,
        ...after.map((next) => `ExecStartPost=${command} ${next}`),
        // A stage that hangs (a dead NFS mount, a receiver that never answers) is stopped: SIGTERM lets it finish the step in progress.
        `TimeoutStartSec=${timeoutS}s`,
      ]),
      'Nice=5',
      ...carried,
      ...(user ? ['NoNewPrivileges=yes'] : HARDENING),
      ...(resident ? ['', '[Install]', `WantedBy=${user ? 'default.target' : 'multi-user.target'}`] : []),
      '',
    ].join('\n')
    if (resident) return [{name: `monitor-${stage.id}.service`, content: service}]
    const schedule = typeof stage.every === 'number'
      ? [`OnBootSec=${stage.every}s`, `OnUnitActiveSec=${stage.every}s`, `AccuracySec=${stage.accuracyS ?? 1}s`]
      : [`OnCalendar=${stage.every}`, 'Persistent=true', 'RandomizedDelaySec=15min', 'AccuracySec=1min']
    const timer = [
      '[Unit]',
      `Description=monitor: ${stage.what}, ${typeof stage.every === 'number' ? `every ${stage.every} s` : stage.every}`,
      '',
      '[Timer]',
      ...schedule,
      '',
      '[Install]',
      'WantedBy=timers.target',
      '',
    ].join('\n')
    return [{name: `monitor-${stage.id}.service`, content: service}, {name: `monitor-${stage.id}.timer`, content: timer}]
  })
}

/** The environment file's lines (KEY=value). */
export const envFile = (env: Record<string, string>): string => Object.entries(env).map(([key, value]) => `${key}=${value}\n`).join('')

/** Crontab lines, with the settings in effect as variable lines. Cron has minute resolution: see the comment it carries. Pure. */
export function cronLines(command: string, settings: Settings = {env: {}, digest: false}): string {
  const variables = {...(settings.configFile ? {MONITOR_CONFIG: settings.configFile} : {}), ...settings.env}
  // The same jobs as the timers (a resident agent is a service, so cron runs `run` instead), at cron's minute resolution.
  const jobs = stages(defaults, settings.digest, settings.arrangement === 'per-stage' ? 'per-stage' : 'run').map(({commands, every, cron}) => {
    const minutes = typeof every === 'number' ? Math.max(1, Math.round(every / 60)) : 1
    const schedule = cron ?? (minutes > 1 ? `*/${minutes} * * * *` : '* * * * *')
    return `${schedule} ${commands.map((job) => `${command} ${job}`).join(' && ')}`
  })
  return [
    '# monitor: cron starts jobs at most once a minute, so here the basic tier is sampled',
    '# once a minute, not every 10 s. For 10-second sampling use the systemd timers',
    '# (monitor schedule --systemd), or `monitor schedule --systemd --resident`.',
    ...Object.entries(variables).map(([key, value]) => `${key}=${value}`),
    ...jobs,
    '',
  ].join('\n')
}
