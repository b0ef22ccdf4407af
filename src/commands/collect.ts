import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'
import {formatValue} from '../cli/format'
import {makeTable} from '../cli/table'
import {collect, collectOffline, SpooledError} from '../collect/collect'
import {RedisUnavailableError} from '../cli/errors'
import {type Tier, TIERS} from '../config/schema'
import type {Sample} from '../store/samples'

export interface SampleJson {
  host: string
  tier: Tier
  at: string
  series: Record<string, number>
  doc: Record<string, unknown>
}

export const sampleJson = (sample: Sample): SampleJson => ({host: sample.host, tier: sample.tier, at: new Date(sample.atMs).toISOString(), series: sample.series, doc: sample.doc})

export default class Collect extends BaseCommand<typeof Collect> {
  static override summary = 'Collect one sample of the named tiers and store it in Redis.'

  static override description = `Reads the host once (from /proc, /sys and Node's os module; nothing sleeps) and writes one sample per tier to the Redis stream <prefix>:{<host>}:samples:<tier>, trimmed to the tier's retention.

Tiers: basic (cpu, memory, disk usage, network), detailed (basic + per-cpu, cpu times, load, swap, memory detail, disk I/O and busy %, partitions, connections, interfaces, uptime, users, processes), extended (basic + top processes, process states, open files, systemd services, temperatures, fans, battery).

Rates (cpu.percent, bytes/s, busy %) are computed against the counters the previous collection of the same tier stored in Redis; the first collection after a reboot or a counter reset has no rate, by design.

With --json, prints one JSON object per tier and line: {"host","tier","at","series","doc"}.

${exitCodesHelp(ExitCode.redis, ExitCode.spooled, ExitCode.locked)}`

  static override examples = [
    '<%= config.bin %> collect',
    '<%= config.bin %> collect --tier detailed --tier extended',
    '<%= config.bin %> collect --tier all --json | jq \'.series["cpu.percent"]\'',
  ]

  static override flags = {
    tier: Flags.string({
      char: 't',
      multiple: true,
      options: [...TIERS, 'all'],
      default: ['basic'],
      summary: 'Tier to collect; repeat for several, or "all".',
    }),
  }

  public async run(): Promise<SampleJson[]> {
    const context = await this.stageContext()
    const tiers = this.flags.tier.includes('all') ? [...TIERS] : TIERS.filter((tier) => this.flags.tier.includes(tier))
    const roots = {procRoot: process.env.MONITOR_PROC_ROOT ?? '/proc', sysRoot: process.env.MONITOR_SYS_ROOT ?? '/sys'}
    let redis
    try {
      redis = await this.redis(context)
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) throw error
      // Nothing is lost while Redis is down: the sample waits in the spool for the next run.
      const {size} = await collectOffline({...context, tiers, ...roots})
      throw new SpooledError(`${error.message}; the sample is kept in ${context.spool.dir} (${size} waiting) and will be replayed`, {cause: error})
    }
    const samples = await collect({...context, redis, tiers, ...roots})
    const result = samples.map(sampleJson)
    if (this.jsonEnabled()) {
      process.stdout.write(result.map((sample) => JSON.stringify(sample)).join('\n') + '\n')
    } else if (!this.flags.quiet) {
      for (const sample of result) this.log(renderSample(sample))
    }
    return result
  }

  // --json output is written by run() as one line per tier; oclif's own JSON print is turned off.
  protected override logJson(): void {}
}

function renderSample(sample: SampleJson): string {
  const table = makeTable(['series', 'value'], {alignRight: [1]})
  for (const [name, value] of Object.entries(sample.series)) table.push([name, formatValue(name, value)])
  const absent = sample.series['cpu.percent'] === undefined ? '\n(cpu.percent and other rates appear from the second collection of this tier on)' : ''
  return `${sample.host} · ${sample.tier} · ${sample.at}\n${table.toString()}${absent}`
}
