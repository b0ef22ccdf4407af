import {ConfigError} from './errors'

const UNITS: Record<string, number> = {ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800}

/** Seconds in "90", "90s", "500ms", "30m", "2h", "1d", "1w" or a combination ("1h30m"); undefined when it is none of these. Pure. */
export function durationSeconds(text: string): number | undefined {
  const compact = text.replace(/\s/g, '')
  if (/^\d+(\.\d+)?$/.test(compact)) return Number(compact)
  const parts = [...compact.matchAll(/(\d+(?:\.\d+)?)(ms|[smhdw])/g)]
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== compact) return undefined
  // Sums in milliseconds, so that "1s500ms" is 1.5 and not 1.5000000000000002.
  return parts.reduce((total, [, amount, unit]) => total + Math.round(Number(amount) * (UNITS[unit as string] as number) * 1000), 0) / 1000
}

/** Parses a duration flag ("90s", "30m", "2h", "1d", "1w", "1h30m") into seconds. Throws ConfigError naming the flag. */
export function parseDuration(text: string, flag: string): number {
  const seconds = durationSeconds(text)
  if (seconds === undefined || !/[a-z]/.test(text)) throw new ConfigError([`${flag}: "${text}" is not a duration such as 90s, 30m, 2h, 1d or 1w`])
  return seconds
}
