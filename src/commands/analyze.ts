import {BaseCommand} from '../cli/base-command'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'
import {analyze} from '../analyze/analyze'
import {summarizeAnalysis} from '../analyze/summary'
import type {AnalysisResult} from '../analyze/types'

export default class Analyze extends BaseCommand<typeof Analyze> {
  static override summary = 'Find anomalies, trends with threshold forecasts, and correlations in the history.'

  static override description = `Reads the host's history from Redis and stores the result in <prefix>:{<host>}:analysis (latest) and a history stream.

Anomalies: the newest analysis.anomaly_detection.persistence.of values (5) of each series against a baseline; a finding needs persistence.points (3) of them beyond sensitivity (2) spreads on one side. The baseline is training_period (the detailed tier by default) with earlier outliers kept out: mean and standard deviation, or with method: mad the median and 1.4826 × MAD. Once the extended tier holds two days (daily_pattern), the same time of day on earlier days is the baseline. A series is judged only on a value of the newest sample, while that sample is fresh.

Trends: least-squares lines over window_size (basic tier), its newest half, quarter and twelfth, and long_window (detailed tier), each after the newest drop (a rotation, a purge); the most significant slope is used, its standard error widened for autocorrelated residuals. For series with thresholds (thresholds.overrides included): when each threshold not yet reached will be crossed within forecast_horizon, from the value now, with a 95 % range. No crossing from a slope under 3 standard errors, from a window shorter than a sixth of the time to the crossing, below a level the series was emptied at before, or from fewer than min_points points.

Correlations: Pearson r of the changes of pairs of series over the short window, on the samples' own spacing, at each lag up to max_lag; pairs with |r| >= min_correlation and at least min_co_movements shared large moves, among the max_series series that moved most of late. lag_s > 0 means b follows a.

With --json: {"host","at","anomalies":[…],"settling":[…],"trends":[…],"correlations":[…],"skipped":[{"series","reason"}]}. The README's "Analysis" section has the details and the measured accuracy.

${exitCodesHelp(ExitCode.redis, ExitCode.locked)}`

  static override examples = [
    '<%= config.bin %> analyze',
    '<%= config.bin %> analyze --json | jq \'.trends[] | select(.crossings != [])\'',
  ]

  public async run(): Promise<AnalysisResult> {
    const context = await this.stageContext()
    const result = await analyze({...context, redis: await this.redis(context)})
    if (!this.jsonEnabled() && !this.flags.quiet) {
      this.log(`${result.host} · analysis · ${result.at}`)
      for (const line of summarizeAnalysis(result, context.config.analysis.anomaly_detection.training_period)) this.log(`  ${line}`)
      if (result.skipped.length > 0) this.log(`  (${result.skipped.length} series checks skipped for lack of data or variation; --json lists why)`)
    }
    return result
  }
}
