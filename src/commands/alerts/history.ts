import * as Flags from '@oclif/core/flags'

import type {AlertEvent} from '../../alert/notification'
import {history, hostsOf} from '../../alert/people'
import {BaseCommand} from '../../cli/base-command'
import {parseDuration} from '../../cli/duration'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'

export default class AlertsHistory extends BaseCommand<typeof AlertsHistory> {
  static override summary = 'Show alert transitions (pending, firing, severity, resolved) from the alert log.'
  static override description = `The log keeps alerts.log_retention seconds (a week by default).\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts history --since 24h', '<%= config.bin %> alerts history --all-hosts --json']
  static override flags = {
    since: Flags.string({default: '24h', summary: 'How far back: 30m, 24h, 7d…'}),
    'all-hosts': Flags.boolean({summary: 'Every host in Redis, not only --host.'}),
  }

  public async run(): Promise<AlertEvent[]> {
    const context = await this.stageContext()
    const sinceMs = Date.now() - parseDuration(this.flags.since, '--since') * 1000
    const redis = await this.redis(context)
    const events = await history(redis, context.keys, await hostsOf(redis, context.keys, context.host, this.flags['all-hosts']), sinceMs)
    if (!this.jsonEnabled()) {
      if (events.length === 0) this.log(`no alert transitions in the last ${this.flags.since}`)
      for (const event of events) this.log(`${new Date(event.at).toISOString().slice(0, 19).replace('T', ' ')}  ${event.kind.padEnd(9)} ${event.severity.padEnd(8)} ${event.key}  ${event.message}`)
    }
    return events
  }
}
