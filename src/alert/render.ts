import {formatValue} from '../cli/format'
import type {AlertEvent, Notification} from './notification'

/** Escapes text for HTML element content and attribute values. Pure. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

const value = (event: AlertEvent): string => (event.value === null ? 'no data' : formatValue(event.series, event.value))

/** One line per event: "CRITICAL disk.used_percent{mount="/"} = 96.2 % (≥ 95) since 14:02". */
export function eventLine(event: AlertEvent): string {
  const since = new Date(event.since).toISOString().slice(0, 16).replace('T', ' ')
  switch (event.kind) {
    case 'resolved':
      return `RESOLVED ${event.message} (was ${event.previous ?? event.severity}; now ${value(event)})`
    case 'severity':
      return `${event.severity.toUpperCase()} (was ${event.previous}) ${event.message} since ${since} UTC`
    default:
      return `${event.severity.toUpperCase()} ${event.message} since ${since} UTC`
  }
}

/** The subject line: severity, host and what, with a count of the rest. */
export function notificationTitle(notification: Pick<Notification, 'status' | 'severity' | 'host' | 'events' | 'kind' | 'escalationLevel'>): string {
  const first = notification.events[0]
  if (notification.kind === 'test') return `[monitor] TEST ${notification.host}: a test notification (nothing is wrong)`
  if (!first) return `[monitor] ${notification.host}: alerts held back by the hourly limit`
  const more = notification.events.length > 1 ? ` (+${notification.events.length - 1} more)` : ''
  const state = notification.status === 'resolved' ? 'RESOLVED' : notification.severity.toUpperCase()
  const escalated = notification.kind === 'escalation' ? `ESCALATION ${notification.escalationLevel ?? ''} `.replace('  ', ' ') : ''
  return `[monitor] ${escalated}${state} ${notification.host}: ${first.message}${more}`
}

/** The plain-text body shared by every channel. */
export function textBody(notification: Notification): string {
  const lines = notification.events.map(eventLine)
  if (notification.kind === 'test') lines.push('This is a test notification sent by `monitor alert --test`: this channel works. Nothing is wrong.')
  if (notification.topProcesses && notification.topProcesses.rows.length > 0) {
    lines.push('', `Top processes by ${notification.topProcesses.by}:`)
    for (const row of notification.topProcesses.rows) {
      lines.push(`  ${row.pid} ${row.name}  cpu ${row.cpu_percent ?? '?'} %  mem ${row.memory_percent ?? '?'} %  ${row.cmdline}`.trimEnd())
    }
  }
  if (notification.heldBack.count > 0) {
    lines.push('', `${notification.heldBack.count} alert(s) were held back by the hourly limit: ${notification.heldBack.keys.slice(0, 10).join(', ')}${notification.heldBack.keys.length > 10 ? ', …' : ''}`)
  }
  lines.push('', `host ${notification.host} · notification ${notification.id}`)
  return lines.join('\n')
}

const COLOURS: Record<string, string> = {info: '#439fe0', warning: '#daa038', error: '#e8702a', critical: '#d00000', resolved: '#2eb886'}
export const colourOf = (notification: Pick<Notification, 'status' | 'severity'>): string =>
  COLOURS[notification.status === 'resolved' ? 'resolved' : notification.severity] ?? '#999999'

/** The HTML body of an email; every value from the host is escaped. */
export function htmlBody(notification: Notification): string {
  const rows = notification.events.map((event) => `<tr><td style="padding:4px 8px;color:${COLOURS[event.kind === 'resolved' ? 'resolved' : event.severity]}"><b>${escapeHtml(event.kind === 'resolved' ? 'RESOLVED' : event.severity.toUpperCase())}</b></td><td style="padding:4px 8px">${escapeHtml(event.message)}</td><td style="padding:4px 8px">${escapeHtml(value(event))}</td></tr>`)
  const processes = notification.topProcesses && notification.topProcesses.rows.length > 0
    ? `<h3>Top processes by ${escapeHtml(notification.topProcesses.by)}</h3><table>${notification.topProcesses.rows.map((row) => `<tr><td>${row.pid}</td><td>${escapeHtml(row.name)}</td><td>${row.cpu_percent ?? '?'} %</td><td>${row.memory_percent ?? '?'} %</td><td><code>${escapeHtml(row.cmdline)}</code></td></tr>`).join('')}</table>`
    : ''
  const held = notification.heldBack.count > 0 ? `<p>${notification.heldBack.count} alert(s) were held back by the hourly limit: ${escapeHtml(notification.heldBack.keys.slice(0, 10).join(', '))}</p>` : ''
  return `<!doctype html><html><body style="font-family:sans-serif"><h2 style="color:${colourOf(notification)}">${escapeHtml(notificationTitle(notification))}</h2><table>${rows.join('')}</table>${processes}${held}<p style="color:#888;font-size:small">host ${escapeHtml(notification.host)} · notification ${escapeHtml(notification.id)}</p></body></html>`
}
