import {type AlertResult, alertStage} from '../alert/alert'
import {check, type CheckResult} from '../alert/check'
import {analyze} from '../analyze/analyze'
import type {AnalysisResult} from '../analyze/types'
import {collect} from '../collect/collect'
import {type Tier, TIERS} from '../config/schema'
import type {Spool} from '../collect/spool'
import type {HistoryCache} from '../store/history-cache'
import type {StageOptions} from '../stage'
import {lockTtlMs, withLock} from '../store/lock'
import type {Sample} from '../store/samples'
import {dueTiers, isDue} from './due'

export interface RunOptions extends StageOptions {
  procRoot?: string
  sysRoot?: string
  spool?: Spool
  /** Kept across cycles by `run --watch`: analysis then reads only new entries. */
  historyCache?: HistoryCache
}

export interface RunResult {
  host: string
  at: number
  collected: Tier[]
  samples: Sample[]
  analysis?: AnalysisResult
  check: CheckResult
  alert: AlertResult
}

/**
 * The whole pipeline in one process: collect the tiers that are due, analyze
 * when due (once per detailed interval), check, alert. It calls the same
 * stage functions the separate commands call; it never spawns them.
 */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  return withLock(options.redis, options.keys.lock(options.host, 'run'), lockTtlMs('run', options.config), 'run', () => runUnlocked(options))
}

async function runUnlocked(options: RunOptions): Promise<RunResult> {
  const {redis, keys, host, config, log} = options
  const clock = options.now ?? Date.now
  const now = clock()
  const meta = await redis.hgetall(keys.meta(host))
  const tiers = dueTiers(meta, config, now)
  log.debug(`run ${host}: due ${tiers.length > 0 ? tiers.join(', ') : 'no tier'}; last collections ${TIERS.map((tier) => `${tier} ${meta[`last:${tier}`] ? `${Math.round((now - Number(meta[`last:${tier}`])) / 1000)} s ago` : 'never'}`).join(', ')}`)
  const samples = tiers.length > 0 ? await collect({...options, tiers, now: clock}) : []
  let analysis: AnalysisResult | undefined
  if (isDue(meta['last:analyze'] === undefined ? undefined : Number(meta['last:analyze']), config.monitoring.intervals.detailed, now)) {
    analysis = await analyze({redis, keys, host, config, log, now: clock, cache: options.historyCache})
    await redis.hset(keys.meta(host), 'last:analyze', String(now))
  } else {
    log.debug(`run ${host}: analysis not due (every ${config.monitoring.intervals.detailed} s)`)
  }
  const checked = await check({redis, keys, host, config, log, now: clock})
  const alerted = await alertStage({redis, keys, host, config, log, now: clock})
  return {host, at: now, collected: tiers, samples, analysis, check: checked, alert: alerted}
}
