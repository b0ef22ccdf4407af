import {type Config, type Tier, TIERS} from '../config/schema'

/**
 * A stage is due when its interval has passed since it last ran, less a
 * little slack (a tenth of the interval, at most a second): a timer that fires
 * a few milliseconds early must not skip a beat. Pure.
 */
export function isDue(lastMs: number | undefined, intervalS: number, now: number): boolean {
  if (lastMs === undefined || !Number.isFinite(lastMs) || lastMs > now) return true
  const slackMs = Math.min(1000, intervalS * 100)
  return now - lastMs >= intervalS * 1000 - slackMs
}

/** The tiers due now, from the `last:<tier>` fields of the host's meta hash. Pure. */
export function dueTiers(meta: Record<string, string>, config: Config, now: number): Tier[] {
  return TIERS.filter((tier) => isDue(meta[`last:${tier}`] === undefined ? undefined : Number(meta[`last:${tier}`]), config.monitoring.intervals[tier], now))
}
