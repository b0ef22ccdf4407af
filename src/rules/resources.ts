import {parseSeriesName} from '../collect/series'
import type {ThresholdResource} from '../config/schema'

/** Which metric each threshold resource watches; every label set of it is its own alert. */
export const RESOURCE_METRICS: Record<ThresholdResource, string> = {
  cpu: 'cpu.percent',
  memory: 'memory.percent',
  disk: 'disk.used_percent',
  io: 'disk.busy_percent',
  network: 'net.utilization_percent',
}

/**
 * The threshold resource a series belongs to, or undefined. `cpu.percent`
 * per core is not the cpu resource: only the total is.
 */
export function resourceOf(series: string): ThresholdResource | undefined {
  const {metric, labels} = parseSeriesName(series)
  for (const [resource, watched] of Object.entries(RESOURCE_METRICS) as [ThresholdResource, string][]) {
    if (metric !== watched) continue
    if (resource === 'cpu' && Object.keys(labels).length > 0) return undefined
    return resource
  }
  return undefined
}

export interface Level {
  severity: 'warning' | 'error' | 'critical'
  threshold: number
}
