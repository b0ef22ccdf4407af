import * as Args from '@oclif/core/args'

import {removeSilence} from '../../alert/people'
import {BaseCommand} from '../../cli/base-command'
import {ConfigError} from '../../cli/errors'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'

export default class AlertsUnsilence extends BaseCommand<typeof AlertsUnsilence> {
  static override summary = 'Remove a silence before it expires.'
  static override description = `ID is the id alerts silence printed (alerts list shows the active ones).\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts unsilence 3f2a9c01']
  static override args = {id: Args.string({required: true, description: 'Silence id.'})}

  public async run(): Promise<{removed: string}> {
    const context = await this.stageContext()
    if (!(await removeSilence(await this.redis(context), context.keys, this.args.id, Date.now()))) throw new ConfigError([`ID: no silence ${this.args.id}`])
    if (!this.jsonEnabled()) this.log(`removed silence ${this.args.id}`)
    return {removed: this.args.id}
  }
}
