import * as Flags from '@oclif/core/flags'

import {hostsOf, listAlerts, listSilences} from '../../alert/people'
import type {AlertJson} from '../../alert/views'
import {BaseCommand} from '../../cli/base-command'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'
import {formatValue} from '../../cli/format'
import {makeTable} from '../../cli/table'

export default class AlertsList extends BaseCommand<typeof AlertsList> {
  static override summary = 'List the active alerts (pending and firing), and the active silences.'
  static override description = `Reads the alert states that check keeps; it evaluates nothing.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts list', '<%= config.bin %> alerts list --all-hosts --json']
  static override flags = {'all-hosts': Flags.boolean({summary: 'Every host in Redis, not only --host.'})}

  public async run(): Promise<AlertJson[]> {
    const context = await this.stageContext()
    const redis = await this.redis(context)
    const alerts = await listAlerts(redis, context.keys, await hostsOf(redis, context.keys, context.host, this.flags['all-hosts']))
    if (!this.jsonEnabled()) {
      if (alerts.length === 0) this.log('no active alerts')
      else {
        const table = makeTable(['severity', 'state', 'alert', 'value', 'since', 'ack'])
        for (const alert of alerts) table.push([alert.severity, alert.state, alert.key, alert.value === null ? '-' : formatValue(alert.series, alert.value), alert.since.slice(0, 19).replace('T', ' '), alert.acknowledged ? 'yes' : ''])
        this.log(table.toString())
      }
      const now = Date.now()
      for (const silence of (await listSilences(redis, context.keys)).filter((candidate) => candidate.until > now)) {
        this.log(`silence ${silence.id}: ${silence.match} until ${new Date(silence.until).toISOString()} (${silence.reason}, by ${silence.createdBy})`)
      }
    }
    return alerts
  }
}
