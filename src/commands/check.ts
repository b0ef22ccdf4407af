import * as Flags from '@oclif/core/flags'

import {check} from '../alert/check'
import {NAGIOS, nagiosStatus} from '../alert/nagios'
import {type AlertJson, alertJson, alertTable, byUrgency} from '../alert/views'
import {BaseCommand, usageLine} from '../cli/base-command'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'

export default class Check extends BaseCommand<typeof Check> {
  static override summary = 'Evaluate the newest samples against the thresholds and rules; record alert transitions.'

  static override description = `Rules: cpu (cpu.percent), memory (memory.percent), disk (disk.used_percent per mount), io (disk.busy_percent per device), network (net.utilization_percent per interface), with thresholds.<resource>.{warning,error,critical}, per-series thresholds.overrides, \`for\` (seconds at or above the threshold before firing; a dip below restarts it) and \`hysteresis\` (points below before clearing or stepping down); service (a systemd unit the extended tier saw failed); forecast and anomaly (findings of the latest analyze).

Each alert moves ok → pending → firing(severity) → resolved; every transition is appended to <prefix>:{<host>}:alerts:log, and the active alerts are kept in <prefix>:{<host>}:alerts. No value is not "ok": a stale sample (older than three intervals of its tier), a series missing from the newest sample or a failed systemctl call leaves an alert as it is, until rules.absent_after (default ten basic intervals) ends it with "not reported for …".

--json prints the active alerts: [{"key","host","rule","series","labels","severity","value","threshold","since","state","acknowledged","ack","message"}].

--nagios prints one line in the monitoring-plugins format with perfdata and exits 0 OK, 1 WARNING, 2 CRITICAL (error or critical alerts), 3 UNKNOWN (no recent sample, Redis unreachable, a usage error). Perfdata labels follow the plugin guidelines (no = or quotes): the series name with dots as underscores, then its label values: disk_used_percent_/ for the root file system.

${exitCodesHelp(ExitCode.redis, ExitCode.locked)}`

  static override examples = ['<%= config.bin %> check', '<%= config.bin %> check --nagios', '<%= config.bin %> check --json | jq -r \'.[] | select(.state=="firing") | .message\'']

  static override flags = {
    nagios: Flags.boolean({summary: 'Print a monitoring-plugins status line and exit 0/1/2/3.', exclusive: ['json']}),
  }

  public async run(): Promise<AlertJson[]> {
    const context = await this.stageContext()
    const result = await check({...context, redis: await this.redis(context)})
    const alerts = result.alerts.map((state) => alertJson(result.host, state)).sort(byUrgency)
    if (this.flags.nagios) {
      const {code, line} = nagiosStatus(alerts, result.series, result.fresh, context.config)
      process.stdout.write(`${line}\n`)
      process.exitCode = code
      return alerts
    }
    if (!this.jsonEnabled() && !this.flags.quiet) {
      if (!result.fresh) this.logger.warn(`no recent basic sample of ${result.host}: collect is not running or is behind`)
      if (alerts.length === 0) this.log(`${result.host}: no active alerts`)
      else {
        this.log(alertTable(alerts, {threshold: true}))
      }
      for (const event of result.events) this.logger.info(`${event.kind}: ${event.key} ${event.severity}`)
    }
    return alerts
  }

  public override async catch(error: Parameters<BaseCommand<typeof Check>['catch']>[0]): Promise<void> {
    // A usage error comes before the flags are parsed: --nagios is then looked for in the raw arguments.
    if (!(this.flags?.nagios ?? this.argv.includes('--nagios'))) return super.catch(error)
    // A monitoring plugin always answers with a status line; anything that stops the check is UNKNOWN (3).
    const usage = (error as {oclif?: unknown}).oclif !== undefined || error.name === 'CLIError'
    const message = usage ? usageLine(error.message, this.id) : error.message.split('\n')[0] ?? 'error'
    process.stdout.write(`MONITOR UNKNOWN - ${this.scrub(message)}\n`)
    process.exitCode = NAGIOS.unknown
  }
}
