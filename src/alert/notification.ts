import type {Severity} from '../config/schema'

/** What happened to an alert: one entry of the alert log. */
export type EventKind = 'pending' | 'firing' | 'severity' | 'resolved' | 'cancelled'

export interface AlertEvent {
  /** Stream id in the alert log, once written. */
  id?: string
  host: string
  key: string
  rule: string
  series: string
  labels: Record<string, string>
  kind: EventKind
  severity: Severity
  /** The severity before a change (kind severity), or the last one (resolved). */
  previous?: Severity
  value: number | null
  threshold: number | null
  /** When the alert started (first crossing), ms. */
  since: number
  at: number
  message: string
}

export interface ProcessRow {
  pid: number
  name: string
  cmdline: string
  cpu_percent: number | null
  memory_percent: number | null
}

/**
 * One message for one channel. The id is fixed when the notification is
 * queued and travels with every attempt (email Message-ID, Idempotency-Key
 * header, payload field), so a receiver can recognise a re-send.
 */
export interface Notification {
  id: string
  channel: string
  host: string
  /** held: only the notice of what the hourly cap held back; test: from `monitor alert --test`. */
  kind: 'alert' | 'escalation' | 'held' | 'test'
  /** firing when any event in it fires or rises; resolved when all of them are resolutions. */
  status: 'firing' | 'resolved'
  severity: Severity
  title: string
  events: AlertEvent[]
  /** Alerts that throttling held back since the last message on this channel. */
  heldBack: {count: number; keys: string[]}
  topProcesses?: {by: 'cpu' | 'memory'; rows: ProcessRow[]}
  /** Escalation: the recipients of that level, instead of the channel's own. */
  recipients?: string[]
  escalationLevel?: number
  createdAt: number
  attempts: number
  nextAttemptAt: number
  lastError?: string
}

export const SEVERITY_RANK: Record<Severity, number> = {info: 0, warning: 1, error: 2, critical: 3}
export const maxSeverity = (severities: Severity[]): Severity =>
  severities.reduce<Severity>((highest, severity) => (SEVERITY_RANK[severity] > SEVERITY_RANK[highest] ? severity : highest), 'info')
