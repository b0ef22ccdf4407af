import type {AlertEvent} from '../alert/notification'
import type {AlertJson} from '../alert/views'
import type {Anomaly, Correlation, Trend} from '../analyze/types'
import type {HostFacts} from '../collect/collectors/host'

export type Status = 'ok' | 'warning' | 'error' | 'critical' | 'unknown'

export interface CoreSeries {
  series: string
  now: number | null
  status: Status
  levels: {warning: number; error: number; critical: number} | null
  stats: {min: number | null; avg: number | null; p95: number | null; max: number | null; count: number}
  /** [time ms, value], at most a few hundred, for charts. */
  points: [number, number][]
}

export interface ProcessLine {
  pid: number
  name: string
  cmdline: string
  cpu_percent: number | null
  memory_percent: number | null
}

export interface HostReport {
  host: string
  lastSeen: string | null
  status: Status
  facts: HostFacts | null
  core: CoreSeries[]
  alertsActive: AlertJson[]
  alertsFired: AlertEvent[]
  anomalies: Anomaly[]
  forecasts: Trend[]
  correlations: Correlation[]
  analyzedAt: string | null
  topCpu: ProcessLine[]
  topMemory: ProcessLine[]
  failedServices: string[]
  temperatures: {chip: string; sensor: string; celsius: number}[]
  /** Every series of the newest samples (the Prometheus export). */
  current: Record<string, number>
}

export interface ReportData {
  generatedAt: string
  since: string
  sinceS: number
  hosts: HostReport[]
}

const RANK: Record<Status, number> = {ok: 0, unknown: 0, warning: 1, error: 2, critical: 3}
export const worstStatus = (statuses: Status[]): Status => statuses.reduce<Status>((worst, status) => (RANK[status] > RANK[worst] ? status : worst), statuses.length > 0 ? 'ok' : 'unknown')
