import {chmodSync, mkdirSync, realpathSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command'
import {ConfigError} from '../cli/errors'
import {exitCodesHelp} from '../cli/exit-codes'
import {digestMailbox} from '../config/channels'
import {redactUrl} from '../config/redact-url'
import {cronLines, envFile, hiddenPaths, type Settings, SYSTEM_ENV_FILE, systemdUnits} from '../schedule/units'

export default class Schedule extends BaseCommand<typeof Schedule> {
  static override summary = 'Print (or install) the systemd units or crontab lines that run monitor: one run per interval, a resident agent, or a timer per stage.'
  static override description = `--systemd prints, by default, one timer that runs monitor run every basic interval (it collects what is due, analyzes when due, checks and alerts: one process per interval), prune daily, and, when email is set up, the daily digest (report --since 24h --mail) at 07:00. --resident replaces the timer by one Type=simple service running monitor run --watch (restarted on failure; the lightest). --per-stage gives a timer per stage instead: collect basic (then check) and alert every basic interval, collect detailed and analyze every detailed interval, collect extended at its interval. The oneshot services are stopped after TimeoutStartSec, and run as a dynamic user with sandboxing (systemd-analyze security: 1.7). --install writes them to /etc/systemd/system (or ~/.config/systemd/user with --user) and prints how to enable them.

The jobs keep the settings this command runs with: the configuration file in effect (handed to the service as a systemd credential, so it may stay mode 600), and --redis-url / MONITOR_REDIS_URL and --host / MONITOR_HOST, kept in ${SYSTEM_ENV_FILE} (mode 600; ~/.config/monitor/schedule.env for --user). The units must see the monitor they start: a path under /home, /root, /tmp or /var/tmp is refused for system units (install it with npm install -g, or link it into /usr/local/bin, and pass --bin).

--cron prints crontab lines with the same settings as variables; cron has minute resolution, so the 10-second basic tier needs the timers (or monitor run --watch as a service).

The units in config/systemd/ are the same, for the defaults and /usr/local/bin/monitor.

${exitCodesHelp()}`
  static override examples = ['<%= config.bin %> schedule --systemd', 'sudo <%= config.bin %> schedule --systemd --install', '<%= config.bin %> schedule --cron | crontab -']
  static override flags = {
    systemd: Flags.boolean({summary: 'systemd services and timers.', exactlyOne: ['systemd', 'cron']}),
    cron: Flags.boolean({summary: 'crontab lines.', exactlyOne: ['systemd', 'cron']}),
    install: Flags.boolean({summary: 'Write the units instead of printing them.', dependsOn: ['systemd']}),
    user: Flags.boolean({summary: 'User units (~/.config/systemd/user) with the sandboxing a user manager allows.', dependsOn: ['systemd']}),
    'per-stage': Flags.boolean({summary: 'A timer (or cron line) per stage instead of one monitor run per interval.', exclusive: ['resident']}),
    resident: Flags.boolean({summary: 'One Type=simple service running monitor run --watch (the lightest), instead of a timer.', dependsOn: ['systemd']}),
    bin: Flags.string({summary: 'How the units start monitor (default: the command running now).'}),
  }

  public async run(): Promise<{files: {name: string; content: string}[]; env: Record<string, string>} | {crontab: string}> {
    const {config, configSource} = await this.stageContext()
    const command = this.flags.bin ?? `${process.execPath} ${realpathSync(process.argv[1] ?? 'monitor')}`
    const env: Record<string, string> = {
      ...(this.flags['redis-url'] ? {MONITOR_REDIS_URL: this.flags['redis-url']} : {}),
      ...(this.flags.host ? {MONITOR_HOST: this.flags.host} : {}),
    }
    const arrangement = this.flags.resident ? 'resident' : this.flags['per-stage'] ? 'per-stage' : 'run'
    const settings: Settings = {arrangement, configFile: configSource, env, digest: digestMailbox(config) !== undefined}
    const shown = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, key === 'MONITOR_REDIS_URL' ? redactUrl(value) : value]))
    if (this.flags.cron) {
      const crontab = cronLines(command, settings)
      if (!this.jsonEnabled()) process.stdout.write(crontab)
      return {crontab: cronLines(command, {...settings, env: shown})}
    }
    const hidden = this.flags.user ? [] : hiddenPaths(command)
    if (hidden.length > 0) {
      throw new ConfigError([`--bin: the units could not see ${hidden.join(' ')} (PrivateTmp and ProtectHome hide /tmp and /home, and the service runs as its own user): install monitor with npm install -g, or link it into /usr/local/bin, and pass --bin /usr/local/bin/monitor`])
    }
    const files = systemdUnits(config, command, this.flags.user, settings)
    const envPath = this.flags.user ? join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'monitor', 'schedule.env') : SYSTEM_ENV_FILE
    if (this.flags.install) {
      const dir = this.flags.user ? join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user') : '/etc/systemd/system'
      mkdirSync(dir, {recursive: true})
      for (const file of files) writeFileSync(join(dir, file.name), file.content)
      if (Object.keys(env).length > 0) {
        mkdirSync(dirname(envPath), {recursive: true})
        writeFileSync(envPath, envFile(env), {mode: 0o600})
        chmodSync(envPath, 0o600)
      }
      const systemctl = this.flags.user ? 'systemctl --user' : 'systemctl'
      const timers = files.filter((file) => file.name.endsWith('.timer') || file.content.includes('Type=simple')).map((file) => file.name).join(' ')
      if (!this.jsonEnabled()) this.log(`wrote ${files.length} units to ${dir}${Object.keys(env).length > 0 ? ` and the settings to ${envPath}` : ''}\nnow run: ${systemctl} daemon-reload && ${systemctl} enable --now ${timers}`)
    } else if (!this.jsonEnabled()) {
      for (const file of files) process.stdout.write(`# ${file.name}\n${file.content}\n`)
      if (Object.keys(env).length > 0) process.stdout.write(`# ${envPath} (mode 600; --install writes it with the real values)\n${envFile(shown)}`)
    }
    return {files, env: shown}
  }
}
