import type {Redis} from 'ioredis'

import type {Series} from '../collect/series'
import type {Tier} from '../config/schema'
import type {Keys} from './keys'
import {orEmpty} from './replies'
import type {Logger} from '../cli/log'

export interface Sample {
  host: string
  tier: Tier
  /** Collection time, ms since the epoch; also the stream entry id's time part. */
  atMs: number
  series: Series
  doc: Record<string, unknown>
}

export interface DecodeProblem {
  field: string
  reason: string
}

/** Numbers keep three decimals: enough for percentages and rates, and compact in Redis. */
export const encodeNumber = (value: number): string => (Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000))

/** Flattens a sample into stream fields: one per series, plus `doc` (JSON) when it has content. */
export function encodeFields(sample: Pick<Sample, 'series' | 'doc'>): string[] {
  const flat: string[] = []
  for (const [name, value] of Object.entries(sample.series)) flat.push(name, encodeNumber(value))
  if (Object.keys(sample.doc).length > 0 || flat.length === 0) flat.push('doc', JSON.stringify(sample.doc))
  return flat
}

/**
 * Turns one stream entry back into a sample. A field that is not a number, or
 * a `doc` that is not JSON, is left out and reported, never fatal. Pure.
 */
export function decodeEntry(host: string, tier: Tier, id: string, flat: string[]): {sample: Sample; problems: DecodeProblem[]} {
  const series: Series = {}
  let doc: Record<string, unknown> = {}
  const problems: DecodeProblem[] = []
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const field = flat[index] as string
    const value = flat[index + 1] as string
    if (field === 'doc') {
      try {
        const parsed: unknown = JSON.parse(value)
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) doc = parsed as Record<string, unknown>
        else problems.push({field, reason: 'not a JSON object'})
      } catch {
        problems.push({field, reason: 'not valid JSON'})
      }
      continue
    }
    const number = value.trim() === '' ? Number.NaN : Number(value)
    if (Number.isFinite(number)) series[field] = number
    else problems.push({field, reason: `not a number: ${JSON.stringify(value.slice(0, 40))}`})
  }
  return {sample: {host, tier, atMs: Number(id.split('-')[0]), series, doc}, problems}
}

type Entry = [id: string, fields: string[]]

export interface ReadOptions {
  onProblem?: (key: string, id: string, problem: DecodeProblem) => void
  /** Warned when a key holds another type of data (then read as empty). */
  log?: Logger
}

/** The newest sample of a tier, or undefined when the stream is empty. */
export async function readLatestSample(redis: Redis, keys: Keys, host: string, tier: Tier, options: ReadOptions = {}): Promise<Sample | undefined> {
  const key = keys.samples(host, tier)
  const entries = await orEmpty(redis.xrevrange(key, '+', '-', 'COUNT', 1) as Promise<Entry[]>, key, options.log, [])
  return decodeAll(entries, key, host, tier, options)[0]
}

/** Samples of a tier between two times (inclusive, ms), oldest first. */
export async function readSamples(redis: Redis, keys: Keys, host: string, tier: Tier, fromMs: number, toMs: number | '+' = '+', options: ReadOptions = {}): Promise<Sample[]> {
  const key = keys.samples(host, tier)
  const entries = await orEmpty(redis.xrange(key, String(Math.max(0, Math.floor(fromMs))), toMs === '+' ? '+' : String(Math.floor(toMs))) as Promise<Entry[]>, key, options.log, [])
  return decodeAll(entries, key, host, tier, options)
}

function decodeAll(entries: Entry[], key: string, host: string, tier: Tier, {onProblem}: ReadOptions): Sample[] {
  return entries.map(([id, flat]) => {
    const {sample, problems} = decodeEntry(host, tier, id, flat)
    for (const problem of problems) onProblem?.(key, id, problem)
    return sample
  })
}

/** A tier's history as columns: one time array and one value array per series (NaN = missing). */
export interface Columns {
  times: Float64Array
  series: Map<string, Float64Array>
}

/**
 * Reads samples between two times straight into columns, without building an
 * object per sample: a day of detailed samples is 1440 entries × ~80 fields,
 * read every minute by `run`. `keep` chooses the series (counters are not
 * analysed). A non-numeric field is missing and reported; `doc` is skipped.
 */
export async function readColumns(redis: Redis, key: string, fromMs: number, keep: (series: string) => boolean, onProblem?: (id: string, problem: DecodeProblem) => void, log?: Logger): Promise<Columns> {
  // Pages of 500 entries: each page's reply strings die young, so a day of a wide tier
  // (or a fleet's) does not fill the heap and the collector stays cheap.
  const PAGE = 500
  const times: number[] = []
  const columns = new Map<string, number[]>()
  const skipped = new Set<string>()
  let start = String(Math.max(0, Math.floor(fromMs)))
  for (;;) {
    const page = await orEmpty(redis.xrange(key, start, '+', 'COUNT', PAGE) as Promise<Entry[]>, key, log, [])
    for (const [id, flat] of page) {
      const row = times.length
      times.push(Number(id.slice(0, id.indexOf('-'))))
      for (let index = 0; index + 1 < flat.length; index += 2) {
        const field = flat[index] as string
        if (field === 'doc' || skipped.has(field)) continue
        let column = columns.get(field)
        if (!column) {
          if (!keep(field)) {
            skipped.add(field)
            continue
          }
          column = []
          columns.set(field, column)
        }
        while (column.length < row) column.push(Number.NaN)
        const text = flat[index + 1] as string
        const value = +text
        if (text !== '' && Number.isFinite(value)) column.push(value)
        else {
          column.push(Number.NaN)
          onProblem?.(id, {field, reason: `not a number: ${JSON.stringify(text.slice(0, 40))}`})
        }
      }
    }
    if (page.length < PAGE) break
    start = `(${(page.at(-1) as Entry)[0]}`
  }
  const series = new Map<string, Float64Array>()
  for (const [field, column] of columns) {
    const values = new Float64Array(times.length).fill(Number.NaN)
    values.set(column)
    series.set(field, values)
  }
  return {times: Float64Array.from(times), series}
}
