import * as Flags from '@oclif/core/flags'

import {knownHostsOf} from '../alert/people'
import {BaseCommand} from '../cli/base-command'
import {EXIT_CODES_HELP} from '../cli/exit-codes'
import {formatValue} from '../cli/format'
import {type Tier, TIERS} from '../config/schema'
import {readLatestSample} from '../store/samples'

export default class Series extends BaseCommand<typeof Series> {
  static override summary = 'List the series names a host has, with their newest values.'
  static override description = `From the newest sample of each tier (or of --tier). The names are those thresholds, query, reports and the Prometheus export use.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> series', '<%= config.bin %> series --tier detailed --json | jq -r ".[].series"']
  static override flags = {tier: Flags.string({options: [...TIERS], summary: 'Only this tier.'})}

  public async run(): Promise<{series: string; tier: Tier; value: number}[]> {
    const context = await this.stageContext()
    const redis = await this.redis(context)
    await knownHostsOf(redis, context.keys, context.host, false)
    const tiers = this.flags.tier ? [this.flags.tier as Tier] : TIERS
    const seen = new Map<string, {series: string; tier: Tier; value: number}>()
    for (const tier of tiers) {
      const sample = await readLatestSample(redis, context.keys, context.host, tier)
      for (const [series, value] of Object.entries(sample?.series ?? {})) if (!seen.has(series)) seen.set(series, {series, tier, value})
    }
    const list = [...seen.values()].sort((a, b) => a.series.localeCompare(b.series))
    if (!this.jsonEnabled()) {
      if (list.length === 0) this.log(`no samples of ${context.host} yet: run monitor collect first`)
      for (const entry of list) this.log(`${entry.series.padEnd(52)} ${formatValue(entry.series, entry.value).padStart(12)}  ${entry.tier}`)
    }
    return list
  }
}
