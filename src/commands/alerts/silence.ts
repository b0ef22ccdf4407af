import * as Flags from '@oclif/core/flags'

import {addSilence} from '../../alert/people'
import type {Silence} from '../../alert/pipeline/silence'
import {BaseCommand} from '../../cli/base-command'
import {parseDuration} from '../../cli/duration'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'

export default class AlertsSilence extends BaseCommand<typeof AlertsSilence> {
  static override summary = 'Silence notifications of matching alerts for a while; they are still recorded.'
  static override description = `PATTERN is a glob over alert keys (host/rule/series): "web1/*", "*/disk/*", "*nginx*". Matching alerts keep their state and log; all their notifications, escalation included, are withheld until the silence expires or is removed with alerts unsilence; then each channel is told once of what still fires (and of what resolved meanwhile, if it had heard it fire). A host_silent alert is silenced the same way ("web2/host_silent/*"). For a recurring window (backups every night), use alerts.maintenance in the configuration.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts silence --match "nas/*" --for 2h --reason "disk replacement"']
  static override flags = {
    match: Flags.string({required: true, summary: 'Glob over alert keys.'}),
    for: Flags.string({required: true, summary: 'How long: 30m, 2h, 1d…'}),
    reason: Flags.string({required: true, summary: 'Why; shown in alerts list.'}),
  }

  public async run(): Promise<Silence> {
    const context = await this.stageContext()
    const seconds = parseDuration(this.flags.for, '--for')
    const silence = await addSilence(await this.redis(context), context.keys, this.flags.match, seconds, this.flags.reason, Date.now())
    if (!this.jsonEnabled()) this.log(`silence ${silence.id}: ${silence.match} until ${new Date(silence.until).toISOString()}`)
    return silence
  }
}
