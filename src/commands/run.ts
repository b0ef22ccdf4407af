import * as Flags from '@oclif/core/flags'

import {summarizeAnalysis} from '../analyze/summary'
import {BaseCommand, type StageContext} from '../cli/base-command'
import {MonitorError, RedisUnavailableError} from '../cli/errors'
import {onStop, stopRequested} from '../cli/stop'
import {asRedisError} from '../store/redis'
import {collectOffline, SpooledError} from '../collect/collect'
import {isDue} from '../run/due'
import {TIERS} from '../config/schema'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'
import {formatValue} from '../cli/format'
import {type RunResult, runPipeline} from '../run/run'
import {HistoryCache} from '../store/history-cache'
import {sampleJson} from './collect'

export default class Run extends BaseCommand<typeof Run> {
  static override summary = 'Run the whole pipeline once: collect what is due, analyze when due, check, alert.'

  static override description = `One process does what the separate commands do, in order: collect the tiers whose interval has passed since their last collection (from <prefix>:{<host>}:meta), analyze once per detailed interval, check, and alert. On an empty Redis every tier is due.

--watch keeps it running in the foreground, one cycle every basic interval, for a host where a resident process is preferred to timers; SIGINT or SIGTERM lets the cycle in progress finish, then it exits 0. A cycle that fails (Redis down) is logged and the next one tries again.

${exitCodesHelp(ExitCode.redis, ExitCode.spooled, ExitCode.locked, ExitCode.delivery)}`

  static override examples = ['<%= config.bin %> run', '<%= config.bin %> run --json | jq .check', '<%= config.bin %> run --watch --quiet']

  static override flags = {
    watch: Flags.boolean({summary: 'Keep running, one cycle every basic interval, until SIGINT or SIGTERM.'}),
  }

  public async run(): Promise<object | undefined> {
    const context = await this.stageContext()
    if (this.flags.watch) return this.watch(context)
    let redis
    try {
      redis = await this.redis(context)
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) throw error
      throw await this.spoolWhileDown(context, error)
    }
    const result = await runPipeline({...context, redis, procRoot: process.env.MONITOR_PROC_ROOT, sysRoot: process.env.MONITOR_SYS_ROOT})
    if (!this.jsonEnabled() && !this.flags.quiet) this.log(renderRun(result, context))
    const {retrying, dead} = result.alert.delivery
    if (retrying.length > 0 || dead.length > 0) process.exitCode = ExitCode.delivery
    return runJson(result)
  }

  /**
   * Redis is down: collect what the spool's own record says is due, keep it
   * in the spool, and say so (exit 4). Analysis, check and alert need Redis.
   */
  private async spoolWhileDown(context: StageContext, cause: RedisUnavailableError): Promise<SpooledError> {
    const last = context.spool.lastCounters(context.host)
    const now = Date.now()
    const tiers = TIERS.filter((tier) => isDue(last[tier]?.atMs, context.config.monitoring.intervals[tier], now))
    if (tiers.length === 0) return new SpooledError(`${cause.message}; nothing was due, the spool holds ${context.spool.size} sample(s)`, {cause})
    const {size} = await collectOffline({...context, tiers, procRoot: process.env.MONITOR_PROC_ROOT, sysRoot: process.env.MONITOR_SYS_ROOT})
    return new SpooledError(`${cause.message}; collected ${tiers.join(', ')} into ${context.spool.dir} (${size} waiting), to be replayed`, {cause})
  }

  private async watch(context: StageContext): Promise<undefined> {
    let wake: () => void = () => {}
    onStop(() => wake())
    const intervalMs = context.config.monitoring.intervals.basic * 1000
    const historyCache = new HistoryCache()
    while (!stopRequested()) {
      const started = Date.now()
      try {
        const result = await runPipeline({...context, redis: await this.redis(context), procRoot: process.env.MONITOR_PROC_ROOT, sysRoot: process.env.MONITOR_SYS_ROOT, historyCache})
        if (this.jsonEnabled()) process.stdout.write(JSON.stringify(runJson(result)) + '\n')
        else if (!this.flags.quiet) this.log(oneLine(result))
      } catch (error) {
        const mapped = asRedisError(error, context.redisUrl)
        if (mapped instanceof RedisUnavailableError) {
          // This cycle's sample is not lost: it waits in the spool and the next cycle replays it.
          this.dropRedis()
          const spooled = await this.spoolWhileDown(context, mapped)
          context.log.error(this.scrub(spooled.message))
        } else if (mapped instanceof MonitorError) {
          context.log.error(this.scrub(mapped.message))
        } else {
          throw error
        }
      }
      const waitMs = Math.max(0, started + intervalMs - Date.now())
      if (!stopRequested()) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    return undefined
  }
}

function runJson(result: RunResult): object {
  return {
    host: result.host,
    at: new Date(result.at).toISOString(),
    collected: result.collected,
    samples: result.samples.map(sampleJson),
    analysis: result.analysis ?? null,
    alerts: result.check.alerts,
    events: result.check.events,
    notifications: {queued: result.alert.queued.length, delivered: result.alert.delivery.delivered.length, retrying: result.alert.delivery.retrying.length, dead: result.alert.delivery.dead.length, waiting: result.alert.waiting},
  }
}

const CORE = ['cpu.percent', 'memory.percent', 'load.1', 'swap.percent']

function oneLine(result: RunResult): string {
  const basic = result.samples.find((sample) => sample.tier === 'basic')?.series ?? {}
  const values = CORE.filter((name) => basic[name] !== undefined).map((name) => `${name} ${formatValue(name, basic[name] as number)}`)
  const firing = result.check.alerts.filter((alert) => alert.state === 'firing').length
  return [`${new Date(result.at).toISOString()} ${result.host}: collected ${result.collected.join('+') || 'nothing (not due)'}`, ...(values.length > 0 ? [values.join(', ')] : []), `${firing} firing`, `${result.alert.queued.length} notification(s)`].join('; ')
}

function renderRun(result: RunResult, context: StageContext): string {
  const lines = [`${result.host} · run · ${new Date(result.at).toISOString()}`]
  lines.push(`collected: ${result.collected.length > 0 ? result.collected.join(', ') : 'nothing was due'}`)
  const newest = [...result.samples].sort((a, b) => a.tier.localeCompare(b.tier))
  const series = Object.assign({}, ...newest.map((sample) => sample.series)) as Record<string, number>
  const core = Object.entries(series).filter(([name]) => CORE.includes(name) || name.startsWith('disk.used_percent'))
  if (core.length > 0) lines.push(...core.map(([name, value]) => `  ${name.padEnd(36)} ${formatValue(name, value)}`))
  if (result.samples.length > 0 && series['cpu.percent'] === undefined) lines.push('  (rates such as cpu.percent appear from the second collection on)')
  if (result.analysis) lines.push('analysis:', ...summarizeAnalysis(result.analysis, context.config.analysis.anomaly_detection.training_period).slice(0, 5).map((line) => `  ${line}`))
  const active = result.check.alerts
  lines.push(active.length === 0 ? 'alerts: none active' : `alerts: ${active.length} active`)
  for (const alert of active) lines.push(`  ${alert.severity.toUpperCase().padEnd(8)} ${alert.state.padEnd(7)} ${alert.message}`)
  const {queued, delivery, waiting} = result.alert
  lines.push(`notifications: queued ${queued.length}, delivered ${delivery.delivered.length}, retrying ${delivery.retrying.length}, dead ${delivery.dead.length}${waiting > 0 ? `, ${waiting} event(s) waiting for the grouping window` : ''}`)
  return lines.join('\n')
}
