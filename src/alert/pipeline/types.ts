import type {Config, Severity} from '../../config/schema'
import type {AlertState} from '../../rules/state'
import type {Told} from '../../store/alerts'
import type {AlertEvent, Notification} from '../notification'
import type {Silence} from './silence'

/** Everything the plan looks at, loaded in one go from the store's alert records (loadSnapshot in alert/alert.ts). */
export interface Snapshot {
  /** The scope: a host name, or FLEET for host_silent. */
  host: string
  /** The alert-log entry the last run stopped after (null: from the start). */
  cursor: string | null
  /** The alert-log events after the cursor, oldest first, every kind. */
  events: AlertEvent[]
  /** The scope's active alerts (pending and firing), by key. */
  states: Map<string, AlertState>
  /** Hosts whose host_silent alert fires: their other alerts are inhibited. */
  silentHosts: ReadonlySet<string>
  silences: readonly Silence[]
  /** What each audience was told, by `<audience>|<alert key>`. */
  told: ReadonlyMap<string, Told>
  /** Per channel: messages sent in the hour before now, and the alert keys held back by the hourly cap. */
  hour: ReadonlyMap<string, {sent: number; held: readonly string[]}>
  /** The newest extended sample's doc (top processes for cpu and memory messages). */
  extendedDoc?: Record<string, unknown>
}

export interface PlanContext {
  snapshot: Snapshot
  config: Config
  /** The channels that are on and have a destination. */
  channels: readonly ActiveChannel[]
  now: number
  /** Makes notification ids (randomUUID outside tests). */
  newId: () => string
}

export interface ActiveChannel {
  name: string
  minSeverity: Severity
  /** This channel's own resend interval (Alertmanager), instead of alerts.throttling.repeat_interval. */
  repeatS?: number
  /** False when the hourly cap does not apply (a machine, not a person's inbox). */
  capped: boolean
}

/** One alert key in this run: its state now and its events whose grouping window has closed. */
export interface Subject {
  key: string
  state?: AlertState
  /** Ready events of this key, oldest first. */
  events: AlertEvent[]
  /** Some of its events still wait for their grouping window: its present state is told later. */
  waiting: boolean
}

/** A message taking shape for one audience. */
export interface Draft {
  /** The audience whose told records it changes: the channel name, or `escalation-<level>:<channel>`. */
  audience: string
  channel: string
  kind: Notification['kind']
  events: AlertEvent[]
  /** Told-record changes that hold only if this message goes out (the hourly cap may hold it back). */
  told: Map<string, Told | null>
  /** The subjects routed to it, which the throttle stage turns into events. */
  subjects?: Subject[]
  recipients?: string[]
  escalationLevel?: number
  heldBack?: {count: number; keys: string[]}
}

/** What goes from stage to stage; each stage returns a new batch. */
export interface Batch {
  subjects: Subject[]
  suppressed: {key: string; reason: string}[]
  /** The subjects the suppress stage withheld: a machine channel (Alertmanager) still keeps what it was told alive. */
  withheld: Subject[]
  drafts: Draft[]
  /** Per channel, the alert keys to add to its held-back list and those its notice named (to remove). */
  held: Map<string, {add: string[]; clear: string[]}>
  /** Keys held back in this run, per channel (for the report and the log). */
  heldNow: {channel: string; keys: string[]}[]
  /** Events still inside an open grouping window: the cursor stops before the first. */
  waiting: AlertEvent[]
}

export type Stage = (batch: Batch, context: PlanContext) => Batch
