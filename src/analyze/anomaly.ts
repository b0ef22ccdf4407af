import type {Config} from '../config/schema'
import {median, medianAbsoluteDeviation, summarize} from './stats'
import type {Anomaly, SeriesData, Skipped} from './types'

/** 1.4826 × MAD estimates the standard deviation of normal data. */
const MAD_TO_STD = 1.4826

/**
 * Compares the newest finite value of each series with the spread of the
 * values before it. An anomaly when |z| > sensitivity; a series with fewer
 * than min_data_points earlier values, or none of their variation, is
 * skipped with its reason — never reported as an anomaly. Pure.
 */
export function detectAnomalies(series: readonly SeriesData[], settings: Config['analysis']['anomaly_detection']): {anomalies: Anomaly[]; skipped: Skipped[]} {
  const anomalies: Anomaly[] = []
  const skipped: Skipped[] = []
  for (const {name, values} of series) {
    let last = values.length - 1
    while (last >= 0 && !Number.isFinite(values[last])) last--
    if (last < 0) {
      skipped.push({series: name, reason: 'anomaly: no values'})
      continue
    }
    const value = values[last] as number
    const training = values.subarray(0, last)
    const {count, mean, std} = summarize(training)
    if (count < settings.min_data_points) {
      skipped.push({series: name, reason: `anomaly: ${count} points, needs ${settings.min_data_points}`})
      continue
    }
    let center = mean
    let spread = std
    if (settings.method === 'mad') {
      center = median(training)
      spread = MAD_TO_STD * medianAbsoluteDeviation(training, center)
    }
    if (!(spread > 0)) {
      skipped.push({series: name, reason: 'anomaly: no variation in the training period'})
      continue
    }
    const z = (value - center) / spread
    if (Math.abs(z) > settings.sensitivity) anomalies.push({series: name, value, mean: center, std: spread, z, method: settings.method})
  }
  anomalies.sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
  return {anomalies, skipped}
}
