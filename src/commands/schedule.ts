import {mkdirSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command'
import {EXIT_CODES_HELP} from '../cli/exit-codes'
import {cronLines, systemdUnits} from '../schedule/units'

export default class Schedule extends BaseCommand<typeof Schedule> {
  static override summary = 'Print (or install) systemd timers or crontab lines that run every stage at its interval.'
  static override description = `--systemd prints a service and a timer for each stage: collect basic (then check) every basic interval, collect detailed and extended at theirs, analyze every detailed interval, alert every basic interval, prune daily. The services are oneshot and sandboxed (NoNewPrivileges, ProtectSystem=strict, ProtectHome=read-only, PrivateTmp…). --install writes them to /etc/systemd/system (or ~/.config/systemd/user with --user) and prints how to enable them.

--cron prints crontab lines; cron has minute resolution, so the 10-second basic tier needs the timers (or monitor run --watch as a service).

The units in config/systemd/ are the same, for the defaults and /usr/local/bin/monitor.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> schedule --systemd', 'sudo <%= config.bin %> schedule --systemd --install', '<%= config.bin %> schedule --cron | crontab -']
  static override flags = {
    systemd: Flags.boolean({summary: 'systemd services and timers.', exactlyOne: ['systemd', 'cron']}),
    cron: Flags.boolean({summary: 'crontab lines.', exactlyOne: ['systemd', 'cron']}),
    install: Flags.boolean({summary: 'Write the units instead of printing them.', dependsOn: ['systemd']}),
    user: Flags.boolean({summary: 'User units (~/.config/systemd/user) with the sandboxing a user manager allows.', dependsOn: ['systemd']}),
    bin: Flags.string({summary: 'How the units start monitor (default: the command running now).'}),
  }

  public async run(): Promise<{files: {name: string; content: string}[]} | {crontab: string}> {
    const {config} = await this.stageContext()
    const command = this.flags.bin ?? `${process.execPath} ${process.argv[1] ?? 'monitor'}`
    if (this.flags.cron) {
      const crontab = cronLines(command)
      if (!this.jsonEnabled()) process.stdout.write(crontab)
      return {crontab}
    }
    const files = systemdUnits(config, command, this.flags.user)
    if (this.flags.install) {
      const dir = this.flags.user ? join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user') : '/etc/systemd/system'
      mkdirSync(dir, {recursive: true})
      for (const file of files) writeFileSync(join(dir, file.name), file.content)
      const systemctl = this.flags.user ? 'systemctl --user' : 'systemctl'
      const timers = files.filter((file) => file.name.endsWith('.timer')).map((file) => file.name).join(' ')
      if (!this.jsonEnabled()) this.log(`wrote ${files.length} units to ${dir}\nnow run: ${systemctl} daemon-reload && ${systemctl} enable --now ${timers}`)
    } else if (!this.jsonEnabled()) {
      for (const file of files) process.stdout.write(`# ${file.name}\n${file.content}\n`)
    }
    return {files}
  }
}
