import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {acknowledge, KeyPatternError} from '../../alert/people'
import {BaseCommand} from '../../cli/base-command'
import {ConfigError} from '../../cli/errors'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'

export default class AlertsAck extends BaseCommand<typeof AlertsAck> {
  static override summary = 'Acknowledge an alert: someone is on it, so escalation stops.'
  static override description = `KEY is an alert key as alerts list shows it (host/rule/series), or a glob over the keys of one host (web1/disk/*). Notifications of new transitions still go out. A host_silent alert is acknowledged the same way (web1/host_silent/web1).\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts ack \'web1/disk/disk.used_percent{mount="/"}\' --comment "cleaning up logs"', '<%= config.bin %> alerts ack "web1/*"']
  static override args = {key: Args.string({required: true, description: 'Alert key or glob (host part written out).'})}
  static override flags = {comment: Flags.string({summary: 'Why, or who is on it.', default: ''})}

  public async run(): Promise<{acknowledged: string[]}> {
    const context = await this.stageContext()
    let acknowledged: string[]
    try {
      acknowledged = await acknowledge(await this.redis(context), context.keys, this.args.key, this.flags.comment, Date.now())
    } catch (error) {
      // Only a key that names no host is a usage error; Redis trouble keeps its own exit code (3).
      if (error instanceof KeyPatternError) throw new ConfigError([`KEY: ${error.message}`])
      throw error
    }
    if (acknowledged.length === 0) throw new ConfigError([`KEY: no active alert matches ${this.args.key} (see monitor alerts list)`])
    if (!this.jsonEnabled()) for (const key of acknowledged) this.log(`acknowledged ${key}`)
    return {acknowledged}
  }
}
