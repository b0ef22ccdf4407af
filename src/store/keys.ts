import type {Tier} from '../config/schema'

/**
 * The only place that builds Redis key names. Every per-host key carries the
 * host in a hash tag (`{host}`) so that Redis Cluster keeps one host's keys in
 * one slot and a MULTI over them never crosses slots.
 */
export interface Keys {
  samples(host: string, tier: Tier): string
  /** Series-name lists of the packed sample entries, by schema id (hash). */
  schemas(host: string): string
  /** When each schema was last written (sorted set), so that prune can drop the unused. */
  schemasUsed(host: string): string
  counters(host: string): string
  meta(host: string): string
  analysis(host: string): string
  analysisHistory(host: string): string
  /** The daily profiles the last analysis made (hash: `through`, then one packed Float64Array per series). */
  analysisProfile(host: string): string
  alerts(host: string): string
  alertLog(host: string): string
  /** The id of the last alert-log entry the alert stage has turned into notifications. */
  alertCursor(host: string): string
  /** Acknowledgements, by alert key (written by `alerts ack`, never by check). */
  alertAcks(host: string): string
  /** Per audience and alert key: the episode it was told of. */
  alertSent(host: string): string
  /** Notifications decided but not yet in the global outbox (in the host's slot, written with the cursor). */
  alertQueue(host: string): string
  /** When the last heartbeat ping went out (ms). */
  heartbeat(host: string): string
  lock(host: string, stage: string): string
  /** A lock that is not about one host (prune). */
  globalLock(name: string): string
  hosts: string
  silences: string
  /** Send times of a channel's messages in the last hour (sorted set). */
  channelSent(channel: string): string
  /** Alerts a channel held back by its hourly limit, to be named in its next message. */
  channelHeld(channel: string): string
  outbox: string
  /** Notifications being sent, with when their lease ends (sorted set, in the outbox's hash slot). */
  outboxLeases: string
  deadletter: string
  /** The pattern that matches every key of this prefix, for tests and `prune`. */
  all: string
}

export function keysFor(prefix: string): Keys {
  const perHost = (host: string, suffix: string) => `${prefix}:{${host}}:${suffix}`
  return {
    samples: (host, tier) => perHost(host, `samples:${tier}`),
    schemas: (host) => perHost(host, 'schemas'),
    schemasUsed: (host) => perHost(host, 'schemas:used'),
    counters: (host) => perHost(host, 'counters'),
    meta: (host) => perHost(host, 'meta'),
    analysis: (host) => perHost(host, 'analysis'),
    analysisHistory: (host) => perHost(host, 'analysis:history'),
    analysisProfile: (host) => perHost(host, 'analysis:profile'),
    alerts: (host) => perHost(host, 'alerts'),
    alertLog: (host) => perHost(host, 'alerts:log'),
    alertCursor: (host) => perHost(host, 'alerts:cursor'),
    alertAcks: (host) => perHost(host, 'alerts:acks'),
    alertSent: (host) => perHost(host, 'alerts:sent'),
    alertQueue: (host) => perHost(host, 'alerts:queue'),
    heartbeat: (host) => perHost(host, 'heartbeat'),
    lock: (host, stage) => perHost(host, `lock:${stage}`),
    globalLock: (name) => `${prefix}:lock:${name}`,
    hosts: `${prefix}:hosts`,
    silences: `${prefix}:silences`,
    channelSent: (channel) => `${prefix}:channel:${channel}:sent`,
    channelHeld: (channel) => `${prefix}:channel:${channel}:held`,
    outbox: `${prefix}:outbox`,
    // A key without braces hashes whole; braces around the same text put the leases in its slot.
    outboxLeases: `{${prefix}:outbox}:leases`,
    deadletter: `${prefix}:deadletter`,
    all: `${prefix}:*`,
  }
}

/**
 * The scope of fleet-wide alerts (host_silent). It uses the per-host key
 * layout; no host can be called this, since host names start with a letter
 * or a digit.
 */
export const FLEET = '_fleet'

/** Host names become part of key names and labels: keep them to what DNS allows. */
export const HOST_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/
