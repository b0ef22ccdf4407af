import type {AnalysisResult} from '../analyze/types'
import {formatDuration, formatValue} from '../cli/format'
import {parseSeriesName} from '../collect/series'
import type {Config, Tier} from '../config/schema'
import type {Sample} from '../store/samples'
import {alertKey} from './alert-key'
import {type Level, resourceOf} from './resources'
import type {Observation} from './state'

/** What the rules look at: the newest sample of each tier that is fresh, and the latest analysis if fresh. */
export interface RuleInput {
  host: string
  config: Config
  samples: Partial<Record<Tier, Sample>>
  analysis?: AnalysisResult
}

/** A rule turns the newest data into observations, and says which of its alert keys it could judge. */
export interface Rule {
  name: string
  /** True when this rule had fresh input for the alert's series; otherwise the alert is left as it is. */
  judges(input: RuleInput, rule: string, series: string): boolean
  observe(input: RuleInput): Observation[]
}


/** The levels of a series: its resource's, with any per-series override on top. */
export function thresholdsOf(series: string, config: Config): {levels: Level[]; forS: number; hysteresis: number} | undefined {
  const resource = resourceOf(series)
  if (!resource) return undefined
  const override = Object.fromEntries(Object.entries(config.thresholds.overrides[series] ?? {}).filter(([, value]) => value !== undefined))
  const merged = {...config.thresholds[resource], ...override}
  return {
    levels: [{severity: 'warning', threshold: merged.warning}, {severity: 'error', threshold: merged.error}, {severity: 'critical', threshold: merged.critical}],
    forS: merged.for,
    hysteresis: merged.hysteresis,
  }
}

/** io reads the detailed tier (disk I/O is collected there); the other resources the basic tier. */
const tierOfResource = (series: string): Tier => (resourceOf(series) === 'io' ? 'detailed' : 'basic')

const thresholdRule: Rule = {
  name: 'threshold',
  // Every reported series is observed: a threshold alert without an observation had no value (absent).
  judges: () => false,
  observe({host, config, samples}) {
    const observations: Observation[] = []
    for (const tier of ['basic', 'detailed'] as const) {
      const sample = samples[tier]
      if (!sample) continue
      for (const [series, value] of Object.entries(sample.series)) {
        const resource = resourceOf(series)
        if (!resource || tierOfResource(series) !== tier) continue
        const settings = thresholdsOf(series, config)
        if (!settings) continue
        observations.push({
          key: alertKey(host, resource, series), rule: resource, series, labels: parseSeriesName(series).labels, value,
          levels: settings.levels, hysteresis: settings.hysteresis, forS: settings.forS, summary: `${series} = ${formatValue(series, value)}`,
        })
      }
    }
    return observations
  },
}

/** The failed units of the newest extended sample, or undefined when systemd could not be asked. */
const failedUnits = (input: RuleInput): unknown[] | undefined => {
  const failed = (input.samples.extended?.doc.services as {failed?: unknown} | undefined)?.failed
  return Array.isArray(failed) ? failed : undefined
}

const serviceRule: Rule = {
  name: 'service',
  // A failed systemctl call says nothing about the units: their alerts stay as they are.
  judges: (input) => failedUnits(input) !== undefined,
  observe(input) {
    const {host, config} = input
    const settings = config.rules.service
    const failed = failedUnits(input)
    if (!settings.enabled || !failed) return []
    return failed
      .filter((unit): unit is string => typeof unit === 'string' && (settings.units.length === 0 || settings.units.includes(unit)))
      .map((unit) => ({key: alertKey(host, 'service', unit), rule: 'service', series: 'services.failed', labels: {unit}, value: 1, severity: settings.severity, forS: 0, summary: `${unit} failed`}))
  },
}

const forecastRule: Rule = {
  name: 'forecast',
  judges: (input) => input.analysis !== undefined,
  observe({host, config, analysis}) {
    if (!config.rules.forecast.enabled || !analysis) return []
    return analysis.trends.flatMap((trend) => {
      const worst = trend.crossings.at(-1)
      if (!worst) return []
      return [{
        key: alertKey(host, 'forecast', trend.series), rule: 'forecast', series: trend.series, labels: parseSeriesName(trend.series).labels,
        value: worst.in_s, severity: worst.severity, forS: config.rules.forecast.for,
        summary: `${trend.series} will cross ${worst.severity} (${worst.threshold}) in ${formatDuration(worst.in_s)}`,
      }]
    })
  },
}

const anomalyRule: Rule = {
  name: 'anomaly',
  judges: (input) => input.analysis !== undefined,
  observe({host, config, analysis}) {
    if (!config.rules.anomaly.enabled || !analysis) return []
    const {severity, for: forS} = config.rules.anomaly
    const observation = (series: string) => ({key: alertKey(host, 'anomaly', series), rule: 'anomaly', series, labels: parseSeriesName(series).labels, forS})
    return [
      ...analysis.anomalies.map((anomaly) => ({
        ...observation(anomaly.series), value: anomaly.value, severity,
        summary: `${anomaly.series} = ${formatValue(anomaly.series, anomaly.value)} is ${Math.abs(anomaly.z).toFixed(1)}σ ${anomaly.z > 0 ? 'above' : 'below'} ${anomaly.baseline === 'daily' ? 'its usual level at this time of day' : 'normal'} (${anomaly.points} of the last ${anomaly.of} values)`,
      })),
      // Still partly beyond the sensitivity: an anomaly alert already firing holds instead of flapping.
      ...(analysis.settling ?? []).map((series) => ({...observation(series), value: null, severity: null, holds: true, summary: `${series} settling`})),
    ]
  },
}

/** Every rule. Threshold rules are named after their resource (cpu, memory, disk, io, network). */
export const rules: readonly Rule[] = [thresholdRule, serviceRule, forecastRule, anomalyRule]

/** The rule that produces alerts named `ruleName` (a resource name means the threshold rule). */
export const ruleFor = (ruleName: string): Rule | undefined =>
  rules.find((rule) => rule.name === ruleName) ?? (['cpu', 'memory', 'disk', 'io', 'network'].includes(ruleName) ? thresholdRule : undefined)
