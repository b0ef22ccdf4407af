import type {Config, Weekday} from '../../config/schema'
import type {AlertEvent} from '../notification'

export interface Silence {
  id: string
  /** A glob on alert keys (`web1/disk/*`, `*nginx*`): `*` any run of characters, `?` one. */
  match: string
  until: number
  reason: string
  createdBy: string
  createdAt: number
}

/** A glob as an anchored regular expression; every other character is literal. */
export function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`)
}

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))

/**
 * Whether `now` (local time) falls in a recurring window. A window whose end
 * is before its start runs past midnight and belongs to the day it starts on.
 */
export function inWindow(window: Config['alerts']['maintenance'][number], now: Date): boolean {
  const minute = now.getHours() * 60 + now.getMinutes()
  const from = minutesOf(window.from)
  const to = minutesOf(window.to)
  const today = WEEKDAYS[now.getDay()] as Weekday
  const yesterday = WEEKDAYS[(now.getDay() + 6) % 7] as Weekday
  if (from <= to) return window.days.includes(today) && minute >= from && minute < to
  return (window.days.includes(today) && minute >= from) || (window.days.includes(yesterday) && minute < to)
}

/**
 * Why an event must not be notified now, or undefined: an active silence
 * whose match covers its key, or a maintenance window. Silenced alerts keep
 * their state and their log entries; only the message is withheld. Pure.
 */
export function suppression(event: Pick<AlertEvent, 'key'>, silences: readonly Silence[], maintenance: Config['alerts']['maintenance'], now: number): string | undefined {
  const silence = silences.find((candidate) => candidate.until > now && globToRegExp(candidate.match).test(event.key))
  if (silence) return `silence ${silence.id} (${silence.reason})`
  const window = maintenance.find((candidate) => globToRegExp(candidate.match).test(event.key) && inWindow(candidate, new Date(now)))
  if (window) return `maintenance window ${window.match} ${window.from}–${window.to}`
  return undefined
}
