import type {Redis} from 'ioredis'

import type {Tier} from '../config/schema'
import type {Keys} from './keys'
import {orEmpty} from './replies'
import {ColumnBuilder, type Columns, type DecodeProblem, type Entry, SchemaBook} from './samples'

/**
 * Keeps a stream's recent history in memory as columns, for a resident
 * process (`run --watch`): each read fetches only the entries added since the
 * last one and drops those older than the window. One-shot commands read
 * from Redis every time. Entries written later with older ids (a spool
 * replay) are not seen until the process restarts.
 */
export class HistoryCache {
  private readonly streams = new Map<string, {lastId: string; builder: ColumnBuilder}>()

  async read(redis: Redis, keys: Keys, host: string, tier: Tier, fromMs: number, keep: (series: string) => boolean, onProblem?: (id: string, problem: DecodeProblem) => void): Promise<Columns> {
    const key = keys.samples(host, tier)
    const cached = this.streams.get(key) ?? {lastId: '', builder: new ColumnBuilder(keep, onProblem)}
    const start = cached.lastId ? `(${cached.lastId}` : String(Math.max(0, Math.floor(fromMs)))
    const entries = await orEmpty(redis.xrange(key, start, '+') as Promise<Entry[]>, key, undefined, [])
    const schemas = await SchemaBook.of(redis, keys, host).load(entries, {texts: false})
    for (const [id, flat] of entries) {
      cached.builder.add(id, flat, schemas)
      cached.lastId = id
    }
    cached.builder.expire(fromMs)
    this.streams.set(key, cached)
    return cached.builder.build()
  }
}
