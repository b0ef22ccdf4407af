/**
 * Rates from cumulative counters, never from sleeping. Each function returns
 * undefined ("absent") when there is no honest answer: no previous reading,
 * time that did not move forward, or a counter that went down (a reboot or a
 * reset). Absent is neither 0 nor a since-boot average.
 */

/** Per-second rate of a counter between two readings `elapsedS` seconds apart. */
export function perSecond(current: number | undefined, previous: number | undefined, elapsedS: number | undefined): number | undefined {
  if (current === undefined || previous === undefined || elapsedS === undefined || !(elapsedS > 0)) return undefined
  if (current < previous) return undefined
  return (current - previous) / elapsedS
}

/**
 * Share (0–100) of `total` that went to `part` between two readings, e.g. CPU
 * busy ticks over all ticks. Undefined when either counter went down or total
 * did not move.
 */
export function sharePercent(part: number | undefined, previousPart: number | undefined, total: number | undefined, previousTotal: number | undefined): number | undefined {
  if (part === undefined || previousPart === undefined || total === undefined || previousTotal === undefined) return undefined
  const deltaPart = part - previousPart
  const deltaTotal = total - previousTotal
  if (deltaPart < 0 || deltaTotal <= 0) return undefined
  return Math.min(100, (deltaPart / deltaTotal) * 100)
}

export interface PreviousReading {
  /** Collection time of the previous reading, ms since the epoch. */
  atMs: number
  /** Boot time of the host at that reading, s since the epoch (0 when unknown). */
  bootTimeS: number
  counters: Record<string, number>
}

/**
 * Decides which previous reading rates may be computed against. Returns the
 * elapsed seconds and the counters, or nothing when the clock went back, no
 * time passed, or the host rebooted in between (boot time moved by more than
 * a few seconds: /proc/stat's btime jitters by a second).
 */
export function usablePrevious(previous: PreviousReading | undefined, nowMs: number, bootTimeS: number): {elapsedS: number; counters: Record<string, number>} | undefined {
  if (!previous) return undefined
  const elapsedS = (nowMs - previous.atMs) / 1000
  if (!(elapsedS > 0)) return undefined
  if (previous.bootTimeS && bootTimeS && Math.abs(previous.bootTimeS - bootTimeS) > 5) return undefined
  return {elapsedS, counters: previous.counters}
}
