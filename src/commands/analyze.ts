import {BaseCommand} from '../cli/base-command'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'
import {analyze} from '../analyze/analyze'
import {summarizeAnalysis} from '../analyze/summary'
import type {AnalysisResult} from '../analyze/types'

export default class Analyze extends BaseCommand<typeof Analyze> {
  static override summary = 'Find anomalies, trends with threshold forecasts, and correlations in the history.'

  static override description = `Reads the host's history from Redis and stores the result in <prefix>:{<host>}:analysis (latest) and a history stream.

Anomalies: the newest value of each series against the mean and standard deviation (or, with analysis.anomaly_detection.method: mad, the median and 1.4826 × MAD) of analysis.anomaly_detection.training_period, read from the tier whose retention covers it (detailed by default); flagged when |z| > sensitivity.

Trends: the least-squares slope over analysis.trend_analysis.window_size (the basic tier by default), R², the forecast at forecast_horizon, and for series with thresholds the time until each threshold is crossed, with a 95 % range from the slope's standard error. No crossing is forecast from a flat or falling trend, from R² below min_r2, or from fewer than min_points points.

Correlations: Pearson r between every pair of series over the trend window, at each lag up to analysis.correlation.max_lag in both directions; pairs with |r| >= min_correlation at their best lag. lag_s > 0 means b follows a.

With --json: {"host","at","anomalies":[…],"trends":[…],"correlations":[…],"skipped":[{"series","reason"}]}.

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
