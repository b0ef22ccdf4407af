import type {AnalysisResult} from '../analyze/types'
import {type Config, type Tier, TIERS} from '../config/schema'
import {type RuleInput, ruleFor, rules} from '../rules/rules'
import {advance, type AlertState, clear, keepAbsent, type Observation} from '../rules/state'
import {appendEvents, parseStates, withAcks, writeStates} from '../store/alerts'
import type {StageOptions} from '../stage'
import {lockTtlMs, withLock} from '../store/lock'
import {replyValue, settle} from '../store/replies'
import {readLatestSample, type Sample} from '../store/samples'
import {checkFleet} from './fleet'
import type {AlertEvent} from './notification'

/** A sample older than this many intervals of its tier is stale: its rules judge nothing. */
const STALE_INTERVALS = 3

export interface CheckResult {
  host: string
  at: number
  /** False when there is no fresh basic sample: nothing could be judged (Nagios UNKNOWN). */
  fresh: boolean
  alerts: AlertState[]
  events: AlertEvent[]
  /** The newest basic sample's series (for perfdata), when fresh. */
  series?: Record<string, number>
}

/** How long an alert without a value is kept before it ends: rules.absent_after, or ten basic intervals. */
export const absentAfterMs = (config: Config): number => (config.rules.absent_after || 10 * config.monitoring.intervals.basic) * 1000

/**
 * Advances every alert of the host: observations of every rule against the
 * stored states. An alert with no observation ends when its rule judged its
 * subject and found it fine; otherwise it had no value (no rate after a
 * reboot, a failed probe, a stale sample) and is kept as it is, up to
 * `absentMs`. Pure.
 */
export function evaluate(host: string, input: RuleInput, states: Map<string, AlertState>, now: number, absentMs: number): {states: Map<string, AlertState>; events: AlertEvent[]} {
  const observations = new Map<string, Observation>()
  for (const rule of rules) for (const observation of rule.observe(input)) observations.set(observation.key, observation)
  const next = new Map<string, AlertState>()
  const events: AlertEvent[] = []
  for (const key of new Set([...states.keys(), ...observations.keys()])) {
    const previous = states.get(key)
    const observation = observations.get(key)
    let advanced
    if (observation) advanced = advance(host, previous, observation, now)
    else if (previous && ruleFor(previous.rule)?.judges(input, previous.rule, previous.series)) advanced = clear(host, previous, now)
    else if (previous) advanced = keepAbsent(host, previous, now, absentMs)
    else continue
    if (advanced.next) next.set(key, advanced.next)
    events.push(...advanced.events)
  }
  return {states: next, events}
}

export type CheckOptions = StageOptions

/**
 * Reads what the rules need: the newest sample per tier, the analysis, the
 * states, in one round trip (plus one for schemas this process has not yet seen).
 */
export async function readCheckInput({redis, keys, host, config, log}: CheckOptions, now: number): Promise<{input: RuleInput; states: Map<string, AlertState>}> {
  // Issued together: auto-pipelined.
  const replies = await Promise.all([...TIERS.map((tier) => readLatestSample(redis, keys, host, tier, {log})), redis.get(keys.analysis(host)), redis.hgetall(keys.alerts(host)), redis.hgetall(keys.alertAcks(host))].map(settle))
  const samples: Partial<Record<Tier, Sample>> = {}
  TIERS.forEach((tier, index) => {
    const sample = replyValue<Sample | undefined>(replies[index], keys.samples(host, tier), log, undefined)
    if (!sample) return
    if (now - sample.atMs <= STALE_INTERVALS * config.monitoring.intervals[tier] * 1000) samples[tier] = sample
    else log.debug(`newest ${tier} sample of ${host} is stale (${new Date(sample.atMs).toISOString()})`)
  })
  let analysis: AnalysisResult | undefined
  const analysisJson = replyValue<string | null>(replies[TIERS.length], keys.analysis(host), log, null)
  if (analysisJson) {
    try {
      const parsed = JSON.parse(analysisJson) as AnalysisResult
      const ageMs = now - Date.parse(parsed.at)
      if (ageMs <= STALE_INTERVALS * config.monitoring.intervals.detailed * 1000) analysis = parsed
    } catch {
      log.warn(`skipped ${keys.analysis(host)}: not valid JSON`)
    }
  }
  const malformed = (field: string) => log.warn(`skipped alert ${field} of ${keys.alerts(host)}: malformed state`)
  // With their acknowledgements, for what check shows; writeStates keeps them out of the stored states.
  const states = withAcks(parseStates(replyValue<Record<string, string>>(replies[TIERS.length + 1], keys.alerts(host), log, {}), malformed), replyValue(replies[TIERS.length + 2], keys.alertAcks(host), log, {}))
  return {input: {host, config, samples, analysis}, states}
}

/** The check stage: evaluate the rules, store the states, append every transition to the alert log. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  return withLock(options.redis, options.keys.lock(options.host, 'check'), lockTtlMs('check', options.config), 'check', () => checkUnlocked(options))
}

async function checkUnlocked(options: CheckOptions): Promise<CheckResult> {
  const {redis, keys, host, config} = options
  const now = (options.now ?? Date.now)()
  const {input, states} = await readCheckInput(options, now)
  const {states: next, events} = evaluate(host, input, states, now, absentAfterMs(config))
  options.log.debug(`check ${host}: fresh ${TIERS.filter((tier) => input.samples[tier]).join(', ') || 'nothing'}${input.analysis ? ', analysis' : ''}; ${states.size} alert(s) before, ${next.size} after, ${events.length} transition(s)`)
  const multi = redis.multi()
  writeStates(multi, keys, host, states, next)
  // No trimming here: a cut-off from this host's clock could drop an entry stamped by the
  // server's; the log grows only by transitions, and prune applies alerts.log_retention.
  appendEvents(multi, keys, host, events)
  await multi.exec()
  const fleet = await checkFleet({redis, keys, config, log: options.log, now})
  return {host, at: now, fresh: input.samples.basic !== undefined, alerts: [...next.values()], events: [...events, ...(fleet?.events ?? [])], series: input.samples.basic?.series}
}
