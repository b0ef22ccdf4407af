import {ConfigError} from './errors'

const UNITS: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800}

/** Parses "90s", "30m", "2h", "1d", "1w" (or a combination, "1h30m") into seconds. Throws ConfigError naming the flag. */
export function parseDuration(text: string, flag: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*([smhdw])/g)]
  const consumed = parts.map((part) => part[0]).join('')
  if (parts.length === 0 || consumed.replace(/\s/g, '') !== text.replace(/\s/g, '')) {
    throw new ConfigError([`${flag}: "${text}" is not a duration such as 90s, 30m, 2h, 1d or 1w`])
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * (UNITS[unit as string] as number), 0)
}
