import type {Redis} from 'ioredis'

import {orEmpty} from './replies'
import type {Columns, DecodeProblem} from './samples'

interface Cached {
  lastId: string
  times: number[]
  columns: Map<string, number[]>
}

/**
 * Keeps a stream's recent history in memory as columns, for a resident
 * process (`run --watch`): each read fetches only the entries added since the
 * last one and drops those older than the window. One-shot commands read
 * from Redis every time. Entries written later with older ids (a spool
 * replay) are not seen until the process restarts.
 */
export class HistoryCache {
  private readonly cache = new Map<string, Cached>()

  async read(redis: Redis, key: string, fromMs: number, keep: (series: string) => boolean, onProblem?: (id: string, problem: DecodeProblem) => void): Promise<Columns> {
    const cached = this.cache.get(key) ?? {lastId: '', times: [], columns: new Map<string, number[]>()}
    const start = cached.lastId ? `(${cached.lastId}` : String(Math.max(0, Math.floor(fromMs)))
    const entries = await orEmpty(redis.xrange(key, start, '+') as Promise<[string, string[]][]>, key, undefined, [])
    for (const [id, flat] of entries) {
      const row = cached.times.length
      cached.times.push(Number(id.slice(0, id.indexOf('-'))))
      for (const column of cached.columns.values()) column.push(Number.NaN)
      for (let index = 0; index + 1 < flat.length; index += 2) {
        const field = flat[index] as string
        if (field === 'doc' || !keep(field)) continue
        let column = cached.columns.get(field)
        if (!column) {
          column = Array.from({length: row + 1}, () => Number.NaN)
          cached.columns.set(field, column)
        }
        const text = flat[index + 1] as string
        const value = +text
        if (text !== '' && Number.isFinite(value)) column[row] = value
        else onProblem?.(id, {field, reason: `not a number: ${JSON.stringify(text.slice(0, 40))}`})
      }
      cached.lastId = id
    }
    let expired = 0
    while (expired < cached.times.length && (cached.times[expired] as number) < fromMs) expired++
    if (expired > 0) {
      cached.times.splice(0, expired)
      for (const [field, column] of cached.columns) {
        column.splice(0, expired)
        if (column.every((value) => Number.isNaN(value))) cached.columns.delete(field)
      }
    }
    this.cache.set(key, cached)
    return {times: Float64Array.from(cached.times), series: new Map([...cached.columns].map(([field, column]) => [field, Float64Array.from(column)]))}
  }
}
