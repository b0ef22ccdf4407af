import type {Config} from '../config/schema'

export interface UnitFile {
  name: string
  content: string
}

interface Stage {
  id: string
  what: string
  commands: string[]
  /** Seconds between runs, or an OnCalendar= expression. */
  every: number | string
  accuracyS?: number
}

/** The stages and their intervals, from the configuration (the seed's by default). */
export function stages(config: Config): Stage[] {
  const {basic, detailed, extended} = config.monitoring.intervals
  return [
    {id: 'collect-basic', what: 'collect the basic tier, then check thresholds', commands: ['collect --tier basic --quiet', 'check --quiet'], every: basic, accuracyS: 1},
    {id: 'collect-detailed', what: 'collect the detailed tier', commands: ['collect --tier detailed --quiet'], every: detailed, accuracyS: 1},
    {id: 'collect-extended', what: 'collect the extended tier', commands: ['collect --tier extended --quiet'], every: extended, accuracyS: 5},
    {id: 'analyze', what: 'find anomalies, trends and correlations', commands: ['analyze --quiet'], every: detailed, accuracyS: 5},
    {id: 'alert', what: 'send notifications for new alert events', commands: ['alert --quiet'], every: basic, accuracyS: 1},
    {id: 'prune', what: 'apply retention exactly', commands: ['prune --quiet'], every: 'daily'},
  ]
}

/** Sandboxing that fits a process that reads /proc and /sys, runs systemctl and talks to Redis and SMTP/HTTP. */
const HARDENING = [
  'NoNewPrivileges=yes',
  'ProtectSystem=strict',
  'ProtectHome=read-only',
  'PrivateTmp=yes',
  'ProtectKernelTunables=yes',
  'ProtectKernelModules=yes',
  'ProtectControlGroups=yes',
  'RestrictSUIDSGID=yes',
  'RestrictRealtime=yes',
  'LockPersonality=yes',
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
  'StateDirectory=monitor',
  // Node's JIT needs writable executable memory: MemoryDenyWriteExecute= must stay off.
]

/**
 * A service and a timer per stage. `command` is how to start monitor (an
 * absolute path, or node and the script). User units get only the sandboxing
 * an unprivileged user manager can apply. Pure.
 */
export function systemdUnits(config: Config, command: string, user: boolean): UnitFile[] {
  return stages(config).flatMap((stage) => {
    const [first, ...after] = stage.commands
    const service = [
      '[Unit]',
      `Description=monitor: ${stage.what}`,
      ...(user ? [] : ['After=network-online.target redis-server.service', 'Wants=network-online.target']),
      '',
      '[Service]',
      'Type=oneshot',
      `ExecStart=${command} ${first}`,
      ...after.map((next) => `ExecStartPost=${command} ${next}`),
      'Nice=5',
      ...(user ? ['NoNewPrivileges=yes'] : HARDENING),
      '',
    ].join('\n')
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

/** Crontab lines. Cron has minute resolution: see the comment it carries. Pure. */
export function cronLines(command: string): string {
  return [
    '# monitor: cron starts jobs at most once a minute, so here the whole pipeline',
    '# (monitor run: collect what is due, analyze, check, alert) runs every minute and',
    '# the basic tier is sampled once a minute, not every 10 s. For 10-second sampling',
    '# use the systemd timers (monitor schedule --systemd), or run `monitor run --watch`',
    '# as a service.',
    `* * * * * ${command} run --quiet`,
    `17 3 * * * ${command} prune --quiet`,
    '',
  ].join('\n')
}
