/**
 * The one convention of every `--json` output: keys in snake_case, times as
 * ISO 8601 strings (UTC). Results are built in the code's own camelCase and
 * epoch milliseconds and converted here, at the edge, once.
 *
 * Only keys that are identifiers are renamed: data used as keys — series
 * names (`disk.used_percent{mount="/Data"}`), labels, host names with dots —
 * stays as it is. A number is a time when its key says so (`at`, `since`,
 * `until`, `…_at`) and it is an epoch in milliseconds. Other numbers are
 * kept to three decimals, as values are everywhere else.
 */
const IDENTIFIER = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/
const TIME_KEY = /(?:^|_)(?:at|since|until)$/
/** 2001-09-09 in epoch ms: anything smaller is a duration or a count, not a time. */
const EPOCH_MS_FLOOR = 1e12

const snake = (key: string): string => (IDENTIFIER.test(key) ? key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) : key)

/** `value` in the --json convention. Pure. */
export function toJsonOutput(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => toJsonOutput(item, key))
  if (typeof value === 'number' && TIME_KEY.test(key) && value >= EPOCH_MS_FLOOR) return new Date(value).toISOString()
  if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) return Math.round(value * 1000) / 1000
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof Date) return value
  return Object.fromEntries(Object.entries(value).map(([name, child]) => {
    const renamed = snake(name)
    return [renamed, toJsonOutput(child, renamed)]
  }))
}
