import {formatDuration} from '../cli/format'
import type {AnalysisResult} from './types'

const number = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2))

const periodName = (seconds: number): string =>
  ({3600: "hour's", 86_400: "day's", 604_800: "week's"})[seconds] ?? `${formatDuration(seconds)}`

/**
 * The readable summary of an analysis, one finding per line, most urgent
 * first: forecast crossings, then anomalies, then correlations. Pure.
 */
export function summarizeAnalysis(result: AnalysisResult, trainingPeriodS: number): string[] {
  const lines: string[] = []
  const crossings = result.trends.flatMap((trend) => trend.crossings.map((crossing) => ({trend, crossing}))).sort((a, b) => a.crossing.in_s - b.crossing.in_s)
  for (const {trend, crossing} of crossings) {
    const [soonest, latest] = crossing.in_s_range
    const range = latest === null
      ? `at the soonest in ${formatDuration(soonest)}; `
      : formatDuration(soonest) === formatDuration(latest) ? '' : `between ${formatDuration(soonest)} and ${formatDuration(latest)}; `
    lines.push(`${trend.series} will cross ${crossing.severity} (${crossing.threshold}) in ${formatDuration(crossing.in_s)} (${range}rising ${number(trend.slope_per_hour)}/h over the last ${formatDuration(trend.window_s >= 60 ? Math.round(trend.window_s / 60) * 60 : trend.window_s)})`)
  }
  for (const anomaly of result.anomalies) {
    const direction = anomaly.z > 0 ? 'above' : 'below'
    const center = anomaly.baseline === 'daily' ? 'usual level at this time of day' : `${periodName(trainingPeriodS)} ${anomaly.method === 'mad' ? 'median' : 'mean'}`
    lines.push(`${anomaly.series} is ${Math.abs(anomaly.z).toFixed(1)}σ ${direction} its ${center} (${number(anomaly.value)} against ${number(anomaly.mean)} ± ${number(anomaly.std)}; ${anomaly.points} of the last ${anomaly.of} values)`)
  }
  for (const correlation of result.correlations) {
    const r = `r = ${correlation.r.toFixed(2)}`
    if (correlation.lag_s === 0) lines.push(`${correlation.a} and ${correlation.b} move together, ${r}`)
    else if (correlation.lag_s > 0) lines.push(`${correlation.b} follows ${correlation.a} ${formatDuration(correlation.lag_s)} later, ${r}`)
    else lines.push(`${correlation.a} follows ${correlation.b} ${formatDuration(-correlation.lag_s)} later, ${r}`)
  }
  if (lines.length === 0) lines.push('nothing notable: no forecast crossing, no anomaly, no strong correlation')
  return lines
}
