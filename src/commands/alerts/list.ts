import * as Flags from '@oclif/core/flags'

import {hostsOf, listAlerts, listSilences} from '../../alert/people'
import type {Silence} from '../../alert/pipeline/silence'
import {type AlertJson, alertTable} from '../../alert/views'
import {BaseCommand} from '../../cli/base-command'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'

export default class AlertsList extends BaseCommand<typeof AlertsList> {
  static override summary = 'List the active alerts (pending and firing), and the active silences.'
  static override description = `Reads the alert states that check keeps; it evaluates nothing. The ack column says who acknowledged an alert and why. --json prints {"alerts": [...], "silences": [...]}.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts list', '<%= config.bin %> alerts list --all-hosts --json']
  static override flags = {'all-hosts': Flags.boolean({summary: 'Every host in Redis, not only --host.'})}

  public async run(): Promise<{alerts: AlertJson[]; silences: Silence[]}> {
    const context = await this.stageContext()
    const redis = await this.redis(context)
    const now = Date.now()
    const [alerts, silences] = await Promise.all([
      listAlerts(redis, context.keys, await hostsOf(redis, context.keys, context.host, this.flags['all-hosts'])),
      listSilences(redis, context.keys).then((all) => all.filter((silence) => silence.until > now)),
    ])
    if (!this.jsonEnabled()) {
      if (alerts.length === 0) this.log('no active alerts')
      else {
        this.log(alertTable(alerts, {threshold: false}))
      }
      for (const silence of silences) this.log(`silence ${silence.id}: ${silence.match} until ${new Date(silence.until).toISOString()} (${silence.reason}, by ${silence.createdBy})`)
    }
    return {alerts, silences}
  }
}
