import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'
import {prune, type PruneResult} from '../prune/prune'

export default class Prune extends BaseCommand<typeof Prune> {
  static override summary = 'Apply retention exactly: old samples, alert log, analysis history, dead letters, forgotten hosts.'
  static override description = `collect trims each stream approximately as it writes; prune removes exactly what is past its age and nothing else: each tier's samples past monitoring.retention.<tier>, alert events past alerts.log_retention, analysis results past analysis.history_retention, dead letters past alerts.deadletter_retention, expired silences, the sample schemas and texts no kept entry uses, and hosts not seen for monitoring.forget_hosts_after (with all their keys). Run it daily.\n\n${exitCodesHelp(ExitCode.redis, ExitCode.locked)}`
  static override examples = ['<%= config.bin %> prune', '<%= config.bin %> prune --dry-run']
  static override flags = {'dry-run': Flags.boolean({summary: 'Count what would go; remove nothing.'})}

  public async run(): Promise<PruneResult> {
    const context = await this.stageContext()
    const result = await prune({...context, redis: await this.redis(context), now: Date.now(), dryRun: this.flags['dry-run']})
    if (!this.jsonEnabled() && !this.flags.quiet) {
      const verb = result.dryRun ? 'would remove' : 'removed'
      const total = result.streams.reduce((sum, entry) => sum + entry.removed, 0)
      this.log(`${verb} ${total} stream entries, ${result.deadLetters} dead letters, ${result.silences} expired silences, ${result.schemas} unused sample schemas and texts, ${result.forgottenHosts.length} forgotten hosts`)
      for (const entry of result.streams) this.log(`  ${entry.host} ${entry.stream}: ${entry.removed}`)
      for (const host of result.forgottenHosts) this.log(`  forgotten host: ${host}`)
    }
    return result
  }
}
