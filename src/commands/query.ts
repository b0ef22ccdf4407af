import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {knownHostsOf} from '../alert/people'
import {BaseCommand} from '../cli/base-command'
import {ConfigError} from '../cli/errors'
import {parseDuration} from '../cli/duration'
import {EXIT_CODES_HELP} from '../cli/exit-codes'
import {makeTable} from '../cli/table'
import {type Tier, TIERS} from '../config/schema'
import {AGGREGATIONS, type Aggregation} from '../query/aggregate'
import {aggregateRows, knownSeries, queryPoints} from '../query/query'
import {matches} from '../query/select'

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value)
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export default class Query extends BaseCommand<typeof Query> {
  static override summary = 'Print the points or aggregates of series from the history, for the shell.'

  static override description = `SERIES is an exact name (disk.used_percent{mount="/"}), a metric alone (disk.used_percent: every mount), a metric with some labels, or a glob over names (disk.*, *{iface="eth0"}). Quote it in the shell.

Without --agg, prints every point (time, host, series, value). With --agg, prints the aggregates over the range, or per --step bucket. p95 is interpolated between the closest ranks. The tier is the one whose retention covers the range unless --tier says otherwise.

${EXIT_CODES_HELP}`

  static override examples = [
    '<%= config.bin %> query cpu.percent --since 1h',
    '<%= config.bin %> query \'disk.used_percent{mount="/"}\' --since 7d --agg avg,max --step 1d',
    '<%= config.bin %> query \'net.*_bytes_per_sec\' --since 30m --csv',
    '<%= config.bin %> query memory.percent --all-hosts --agg p95 --json',
  ]

  static override strict = false
  static override args = {series: Args.string({required: true, description: 'Series names, metrics or globs (one or more).'})}
  static override flags = {
    since: Flags.string({default: '1h', summary: 'How far back: 30m, 24h, 7d… (ignored with --from).', exclusive: ['from']}),
    from: Flags.string({summary: 'Start, an ISO time (2026-11-24T08:00:00Z).'}),
    to: Flags.string({summary: 'End, an ISO time (default now).', dependsOn: ['from']}),
    tier: Flags.string({options: [...TIERS], summary: 'Read this tier instead of the one that covers the range.'}),
    agg: Flags.string({summary: `Aggregates, comma-separated: ${AGGREGATIONS.join(', ')}.`}),
    step: Flags.string({summary: 'With --agg: one row per bucket of this length (5m, 1h, 1d).', dependsOn: ['agg']}),
    'all-hosts': Flags.boolean({summary: 'Every host in Redis, not only --host.'}),
    csv: Flags.boolean({summary: 'Comma-separated values with a header row.', exclusive: ['json']}),
  }

  public async run(): Promise<object> {
    const context = await this.stageContext()
    const selectors = [...new Set(this.positional)]
    const time = (text: string, flag: string) => {
      const value = Date.parse(text)
      if (!Number.isFinite(value)) throw new ConfigError([`${flag}: "${text}" is not an ISO time such as 2026-11-24T08:00:00Z`])
      return value
    }
    const toMs = this.flags.to ? time(this.flags.to, '--to') : Date.now()
    const fromMs = this.flags.from ? time(this.flags.from, '--from') : toMs - parseDuration(this.flags.since, '--since') * 1000
    const aggregations = this.flags.agg?.split(',').map((name) => name.trim()) ?? []
    const unknown = aggregations.filter((name) => !(AGGREGATIONS as readonly string[]).includes(name))
    if (unknown.length > 0) throw new ConfigError([`--agg: unknown aggregate ${unknown.join(', ')} (use ${AGGREGATIONS.join(', ')})`])
    const stepMs = this.flags.step ? parseDuration(this.flags.step, '--step') * 1000 : undefined
    const redis = await this.redis(context)
    const hosts = await knownHostsOf(redis, context.keys, context.host, this.flags['all-hosts'])
    const {tier, series} = await queryPoints({...context, redis, hosts, selectors, fromMs, toMs, tier: this.flags.tier as Tier | undefined})
    if (series.length === 0) {
      // Nothing in the range: a typo (exit 2) must not look like "no data yet" (exit 0, empty).
      const known = await knownSeries(redis, context.keys, hosts)
      if (known.size > 0 && !selectors.some((selector) => [...known].some((name) => matches(selector, name)))) {
        throw new ConfigError([`SERIES: no series of ${hosts.join(', ')} matches ${selectors.join(' ')} (monitor series lists them)`])
      }
      this.logger.warn(`no points of ${selectors.join(' ')} in the ${tier} tier of ${hosts.join(', ')} in this range`)
    }

    if (aggregations.length > 0) {
      const rows = aggregateRows(series, aggregations as Aggregation[], stepMs)
      if (this.jsonEnabled()) return {tier, rows}
      const head = ['host', 'series', ...(this.flags.step ? ['from'] : []), ...aggregations]
      const cells = rows.map((row) => [row.host, row.series, ...(this.flags.step ? [row.from] : []), ...aggregations.map((how) => row.values[how as Aggregation] ?? null)])
      this.print(head, cells)
      return {tier, rows}
    }
    if (this.jsonEnabled()) return {tier, series: series.map((entry) => ({...entry, points: entry.points.map(([at, value]) => ({at: new Date(at).toISOString(), value}))}))}
    const cells = series.flatMap((entry) => entry.points.map(([at, value]) => [new Date(at).toISOString(), entry.host, entry.series, value] as (string | number | null)[])).sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    this.print(['time', 'host', 'series', 'value'], cells)
    return {tier, series}
  }

  private print(head: string[], rows: (string | number | null)[][]): void {
    if (this.flags.csv) {
      process.stdout.write([head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n')
      return
    }
    const table = makeTable(head)
    for (const row of rows) table.push(row.map((cell) => (cell === null ? '–' : cell)))
    this.log(table.toString())
  }
}
