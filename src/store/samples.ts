import {createHash} from 'node:crypto'

import type {ChainableCommander, Redis} from 'ioredis'

import type {Logger} from '../cli/log'
import type {Series} from '../collect/series'
import type {Tier} from '../config/schema'
import {packDoc, unpackDoc} from './doc'
import type {Keys} from './keys'
import {orEmpty} from './replies'

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

/** One stream entry as Redis returns it. */
export type Entry = [id: string, fields: string[]]

/**
 * What a host's dictionary holds, by id: the series names of packed entries
 * (a schema), and the long texts of their docs (command lines, mount options).
 */
export type Schemas = ReadonlyMap<string, readonly string[] | string>

/** Numbers keep three decimals: enough for percentages and rates, and compact in Redis. */
export const encodeNumber = (value: number): string => (Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000))

/** A short, stable id of a JSON text: the same content gets the same id on every host. */
export const contentId = (json: string): string => createHash('sha1').update(json).digest('base64url').slice(0, 12)

/** The id of a list of series names (the same names in the same order give the same id). */
export const schemaId = (names: readonly string[]): string => contentId(JSON.stringify(names))

export interface EncodedSample {
  /**
   * The stream entry: `s` (schema id), `v` (the values, comma-separated, in
   * schema order), `r` (the ids of the texts its doc refers to) and `doc`.
   */
  fields: string[]
  /** What the entry refers to, to be stored once per host: id → JSON (a list of names or a text). */
  dictionary: Map<string, string>
}

/**
 * Packs a sample into one stream entry. The series names are not repeated in
 * every entry: Redis caps a stream node at 4 KB, and a detailed sample's ~85
 * names (~3 KB) would fill most of a node on their own, once per entry. Long
 * texts of the doc (a process's command line) are stored once too. Pure.
 */
export function encodeSample({series, doc}: Pick<Sample, 'series' | 'doc'>): EncodedSample {
  const names = Object.keys(series)
  const fields: string[] = []
  const dictionary = new Map<string, string>()
  if (names.length > 0) {
    const json = JSON.stringify(names)
    const id = contentId(json)
    dictionary.set(id, json)
    fields.push('s', id, 'v', names.map((name) => encodeNumber(series[name] as number)).join(','))
  }
  if (Object.keys(doc).length > 0 || names.length === 0) {
    const refs: string[] = []
    const packed = JSON.stringify(packDoc(doc, (text) => {
      const json = JSON.stringify(text)
      const id = contentId(json)
      dictionary.set(id, json)
      if (!refs.includes(id)) refs.push(id)
      return refs.indexOf(id)
    }))
    if (refs.length > 0) fields.push('r', refs.join(','))
    fields.push('doc', packed)
  }
  return {fields, dictionary}
}

/**
 * Queues the writes of one sample, all in the host's hash slot: what it
 * refers to (idempotent: an id always holds the same content) and when that
 * was last used, then the entry itself, XADD last. Returns how many commands
 * it queued.
 */
export function queueSample(commander: ChainableCommander, keys: Keys, host: string, sample: Pick<Sample, 'tier' | 'atMs' | 'series' | 'doc'>, options: {retentionMs?: number; id?: string} = {}): number {
  const {fields, dictionary} = encodeSample(sample)
  if (dictionary.size > 0) {
    commander.hset(keys.schemas(host), Object.fromEntries(dictionary))
    commander.zadd(keys.schemasUsed(host), 'GT', ...[...dictionary.keys()].flatMap((id) => [sample.atMs, id]))
  }
  const key = keys.samples(host, sample.tier)
  const id = options.id ?? `${sample.atMs}-*`
  if (options.retentionMs === undefined) commander.xadd(key, id, ...fields)
  else commander.xadd(key, 'MINID', '~', String(sample.atMs - options.retentionMs), id, ...fields)
  return dictionary.size > 0 ? 3 : 1
}

/** The one warning for something skipped in a stream entry. */
export const warnSkipped = (log: Logger | undefined, key: string) => (id: string, problem: DecodeProblem): void =>
  log?.warn(`skipped field ${problem.field} of ${key} entry ${id}: ${problem.reason}`)

const parseNumber = (text: string): number => (text.trim() === '' ? Number.NaN : +text)
const notANumber = (text: string): string => `not a number: ${JSON.stringify(text.slice(0, 40))}`

/** The value of one field of an entry. */
function fieldOf(flat: readonly string[], name: string): string | undefined {
  for (let index = 0; index + 1 < flat.length; index += 2) if (flat[index] === name) return flat[index + 1]
  return undefined
}

/** The schema id of an entry, if it is packed. */
const schemaOf = (flat: readonly string[]): string | undefined => fieldOf(flat, 's')

/** The dictionary ids an entry refers to: its schema, and its doc's texts unless `texts` is false. */
function idsOf(flat: readonly string[], texts = true): string[] {
  const ids: string[] = []
  for (let index = 0; index + 1 < flat.length; index += 2) {
    if (flat[index] === 's') ids.push(flat[index + 1] as string)
    else if (texts && flat[index] === 'r') ids.push(...(flat[index + 1] as string).split(',').filter(Boolean))
  }
  return ids
}

/**
 * An entry's packed values with their names, or why they cannot be named: a
 * schema that is missing or does not fit spoils every entry of it alike.
 */
function namedValues(schemas: Schemas, schema: string | undefined, text: string): {names: readonly string[]; values: string[]} | {problem: string} {
  const names = schema === undefined ? undefined : schemas.get(schema)
  const values = text.split(',')
  if (!Array.isArray(names)) return {problem: `unknown schema ${JSON.stringify(schema ?? '')}`}
  if (names.length !== values.length) return {problem: `${values.length} values for ${names.length} series of schema ${schema}`}
  return {names, values}
}

/**
 * Turns one stream entry back into a sample. Entries are packed (`s`, `v`)
 * or flat (one field per series, as written by hand or by older versions).
 * A value that is not a number, a schema that is unknown, or a `doc` that is
 * not JSON is left out and reported, never fatal. Pure.
 */
export function decodeEntry(host: string, tier: Tier, id: string, flat: string[], schemas: Schemas = new Map()): {sample: Sample; problems: DecodeProblem[]} {
  const series: Series = {}
  let doc: Record<string, unknown> = {}
  const problems: DecodeProblem[] = []
  let packedId: string | undefined
  let packedValues: string | undefined
  // The texts the doc refers to, by position.
  const refs = fieldOf(flat, 'r')?.split(',') ?? []
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const field = flat[index] as string
    const value = flat[index + 1] as string
    if (field === 's') packedId = value
    else if (field === 'v') packedValues = value
    else if (field === 'r') continue
    else if (field === 'doc') {
      try {
        const parsed: unknown = JSON.parse(value)
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
          const unpacked = unpackDoc(parsed as Record<string, unknown>, (position) => {
            const text = schemas.get(refs[position] ?? '')
            return typeof text === 'string' ? text : undefined
          })
          doc = unpacked.doc
          for (const position of unpacked.missing) problems.push({field, reason: `unknown text ${JSON.stringify(refs[position] ?? `#${position}`)}`})
        } else problems.push({field, reason: 'not a JSON object'})
      } catch {
        problems.push({field, reason: 'not valid JSON'})
      }
    } else {
      const number = parseNumber(value)
      if (Number.isFinite(number)) series[field] = number
      else problems.push({field, reason: notANumber(value)})
    }
  }
  if (packedValues !== undefined) {
    const named = namedValues(schemas, packedId, packedValues)
    if ('problem' in named) problems.push({field: 'v', reason: named.problem})
    else {
      const {names, values} = named
      names.forEach((name, position) => {
        const text = values[position] as string
        const number = parseNumber(text)
        if (Number.isFinite(number)) series[name] = number
        else problems.push({field: name, reason: notANumber(text)})
      })
    }
  }
  return {sample: {host, tier, atMs: Number(id.split('-')[0]), series, doc}, problems}
}

/**
 * Schemas and texts known to this process, by id. An id is a hash of its
 * content, so what it names never changes: one learnt once holds for every
 * host and for the life of the process (`run --watch` fetches each once).
 */
const knownSchemas = new Map<string, readonly string[] | string>()

/**
 * The dictionary of one host (schemas and texts), fetched as entries need
 * it. An entry is only visible once what it refers to is stored (same
 * MULTI), so an id read after its entry is always there.
 */
export class SchemaBook {
  private readonly warned = new Set<string>()

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly log?: Logger,
  ) {}

  static of(redis: Redis, keys: Keys, host: string, log?: Logger): SchemaBook {
    return new SchemaBook(redis, keys.schemas(host), log)
  }

  /** The dictionary these entries use (with `texts` false: their schemas only), fetching the unknown ids in one HMGET. */
  async load(entries: readonly Entry[], {texts = true}: {texts?: boolean} = {}): Promise<Schemas> {
    const missing = [...new Set(entries.flatMap(([, flat]) => idsOf(flat, texts)).filter((id) => !knownSchemas.has(id)))]
    if (missing.length === 0) return knownSchemas
    const stored = await orEmpty(this.redis.hmget(this.key, ...missing), this.key, this.log, [])
    missing.forEach((id, index) => {
      const value = parseContent(stored[index], id)
      if (value !== undefined) knownSchemas.set(id, value)
      else if (stored[index] && !this.warned.has(id)) {
        this.warned.add(id)
        this.log?.warn(`skipped ${id} of ${this.key}: not JSON whose hash is its id`)
      }
    })
    return knownSchemas
  }
}

/** A stored list of names or text, learnt only if its hash is its id: a hand-edited one stays this host's problem. */
function parseContent(text: string | null | undefined, id: string): readonly string[] | string | undefined {
  if (!text || contentId(text) !== id) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'string') return parsed
    return Array.isArray(parsed) && parsed.every((name) => typeof name === 'string') ? (parsed as string[]) : undefined
  } catch {
    return undefined
  }
}

export interface ReadOptions {
  onProblem?: (key: string, id: string, problem: DecodeProblem) => void
  /** Warned when a key holds another type of data (then read as empty). */
  log?: Logger
  book?: SchemaBook
}

/** Decodes entries of one host's tier, fetching the schemas they need. */
export async function decodeEntries(redis: Redis, keys: Keys, host: string, tier: Tier, entries: readonly Entry[], options: ReadOptions = {}): Promise<Sample[]> {
  const key = keys.samples(host, tier)
  const schemas = await (options.book ?? SchemaBook.of(redis, keys, host, options.log)).load(entries)
  // A schema that is missing spoils every entry that uses it: say so once, not once per entry.
  const unknown = new Set<string>()
  return entries.map(([id, flat]) => {
    const {sample, problems} = decodeEntry(host, tier, id, flat, schemas)
    for (const problem of problems) {
      if (problem.field === 'v') {
        if (unknown.has(problem.reason)) continue
        unknown.add(problem.reason)
      }
      if (options.onProblem) options.onProblem(key, id, problem)
      else warnSkipped(options.log, key)(id, problem)
    }
    return sample
  })
}

/** The newest sample of a tier, or undefined when the stream is empty. */
export async function readLatestSample(redis: Redis, keys: Keys, host: string, tier: Tier, options: ReadOptions = {}): Promise<Sample | undefined> {
  const key = keys.samples(host, tier)
  const entries = await orEmpty(redis.xrevrange(key, '+', '-', 'COUNT', 1) as Promise<Entry[]>, key, options.log, [])
  return (await decodeEntries(redis, keys, host, tier, entries, options))[0]
}

/** Samples of a tier between two times (inclusive, ms), oldest first. */
export async function readSamples(redis: Redis, keys: Keys, host: string, tier: Tier, fromMs: number, toMs: number | '+' = '+', options: ReadOptions = {}): Promise<Sample[]> {
  const key = keys.samples(host, tier)
  const entries = await orEmpty(redis.xrange(key, String(Math.max(0, Math.floor(fromMs))), toMs === '+' ? '+' : String(Math.floor(toMs))) as Promise<Entry[]>, key, options.log, [])
  return decodeEntries(redis, keys, host, tier, entries, options)
}

/** A tier's history as columns: one time array and one value array per series (NaN = missing). */
export interface Columns {
  times: Float64Array
  series: Map<string, Float64Array>
}

/**
 * Folds entries into columns without building an object per sample: a day
 * of detailed samples is 1440 entries × ~85 values, read every minute by
 * `run`. `keep` chooses the series (counters are not analysed); `doc` is
 * skipped. A column may be shorter than `times`: its tail is missing.
 */
export class ColumnBuilder {
  readonly times: number[] = []
  readonly columns = new Map<string, number[]>()
  private readonly skipped = new Set<string>()
  /** Per schema, the column of each position (undefined: not kept). */
  private readonly layouts = new Map<string, (number[] | undefined)[]>()
  /** Problems with a whole entry's values already reported: once per schema, not once per entry. */
  private readonly reported = new Set<string>()

  constructor(
    private readonly keep: (series: string) => boolean,
    private readonly onProblem?: (id: string, problem: DecodeProblem) => void,
  ) {}

  add(id: string, flat: readonly string[], schemas: Schemas): void {
    const row = this.times.length
    this.times.push(Number(id.slice(0, id.indexOf('-'))))
    let packedId: string | undefined
    for (let index = 0; index + 1 < flat.length; index += 2) {
      const field = flat[index] as string
      if (field === 's') packedId = flat[index + 1]
      else if (field === 'v') this.addPacked(id, row, packedId ?? schemaOf(flat), flat[index + 1] as string, schemas)
      else if (field !== 'doc' && field !== 'r') {
        const column = this.column(field)
        if (column) this.put(column, row, id, field, flat[index + 1] as string)
      }
    }
  }

  /** Drops the rows older than `fromMs`, and the columns left without a value. */
  expire(fromMs: number): void {
    let expired = 0
    while (expired < this.times.length && (this.times[expired] as number) < fromMs) expired++
    if (expired === 0) return
    this.times.splice(0, expired)
    for (const [field, column] of this.columns) {
      column.splice(0, expired)
      if (column.every((value) => Number.isNaN(value))) this.columns.delete(field)
    }
    // The layouts hold the deleted columns: rebuild them on next use.
    this.layouts.clear()
  }

  build(): Columns {
    const series = new Map<string, Float64Array>()
    for (const [field, column] of this.columns) {
      const values = new Float64Array(this.times.length).fill(Number.NaN)
      values.set(column)
      series.set(field, values)
    }
    return {times: Float64Array.from(this.times), series}
  }

  private addPacked(id: string, row: number, packedId: string | undefined, text: string, schemas: Schemas): void {
    const named = namedValues(schemas, packedId, text)
    if ('problem' in named) {
      if (!this.reported.has(named.problem)) this.onProblem?.(id, {field: 'v', reason: named.problem})
      this.reported.add(named.problem)
      return
    }
    const {names, values} = named
    let layout = this.layouts.get(packedId as string)
    if (!layout) {
      layout = names.map((name) => this.column(name))
      this.layouts.set(packedId as string, layout)
    }
    layout.forEach((column, position) => {
      if (column) this.put(column, row, id, names[position] as string, values[position] as string)
    })
  }

  private column(field: string): number[] | undefined {
    let column = this.columns.get(field)
    if (column || this.skipped.has(field)) return column
    if (!this.keep(field)) {
      this.skipped.add(field)
      return undefined
    }
    column = []
    this.columns.set(field, column)
    return column
  }

  private put(column: number[], row: number, id: string, field: string, text: string): void {
    if (column.length > row) return // the same series twice in one entry: the first counts
    while (column.length < row) column.push(Number.NaN)
    const value = +text
    if (text !== '' && Number.isFinite(value)) column.push(value)
    else {
      column.push(Number.NaN)
      this.onProblem?.(id, {field, reason: notANumber(text)})
    }
  }
}

export interface ColumnOptions {
  keep: (series: string) => boolean
  /** By default, a warning on `log`. */
  onProblem?: (id: string, problem: DecodeProblem) => void
  log?: Logger
  book?: SchemaBook
}

/** Reads a tier's samples from `fromMs` on straight into columns, page by page. */
export async function readColumns(redis: Redis, keys: Keys, host: string, tier: Tier, fromMs: number, {keep, onProblem, log, book = SchemaBook.of(redis, keys, host, log)}: ColumnOptions): Promise<Columns> {
  // Pages of 500 entries: each page's reply strings die young, so a day of a wide tier
  // (or a fleet's) does not fill the heap and the collector stays cheap.
  const PAGE = 500
  const key = keys.samples(host, tier)
  const builder = new ColumnBuilder(keep, onProblem ?? warnSkipped(log, key))
  let start = String(Math.max(0, Math.floor(fromMs)))
  for (;;) {
    const page = await orEmpty(redis.xrange(key, start, '+', 'COUNT', PAGE) as Promise<Entry[]>, key, log, [])
    // Columns skip the doc: its texts are not fetched.
    const schemas = await book.load(page, {texts: false})
    for (const [id, flat] of page) builder.add(id, flat, schemas)
    if (page.length < PAGE) break
    start = `(${(page.at(-1) as Entry)[0]}`
  }
  return builder.build()
}
