/** Human formatting of series values by their unit suffix. Pure. */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${BYTE_UNITS[unit]}`
}

export function formatValue(series: string, value: number): string {
  const metric = series.split('{')[0] ?? series
  if (metric.endsWith('_bytes_per_sec')) return `${formatBytes(value)}/s`
  if (metric.endsWith('_bytes')) return formatBytes(value)
  if (metric.endsWith('percent')) return `${value.toFixed(1)} %`
  if (metric.endsWith('_per_sec')) return `${value.toFixed(1)}/s`
  if (Number.isInteger(value)) return String(value)
  return value.toFixed(2)
}

export function formatDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`
  if (s < 86_400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`
}
