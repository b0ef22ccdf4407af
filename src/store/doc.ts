/**
 * The stored form of a sample's `doc`. A list of records that all have the
 * same keys (processes, partitions, interfaces) is stored as a table: the
 * keys once, then one array of values per record. A week of extended
 * snapshots would otherwise repeat "memory_percent" and its siblings some
 * 200 000 times. A column that holds long texts (command lines, mount
 * options) holds ids instead, and each text is stored once per host (see
 * samples.ts). Pure; packDoc then unpackDoc gives back what went in.
 */

const TABLE = '~table'
/** The columns of a table whose values are text ids. */
const REFS = '~refs'
/** A column with a text at least this long is stored by id. */
export const INTERN_MIN_LENGTH = 24

type Row = Record<string, unknown>
interface Table {
  [TABLE]: unknown[][]
  [REFS]?: string[]
}

const isRecord = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value)

function packTable(value: unknown, intern?: (text: string) => string): Table | undefined {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord)) return undefined
  const records = value as Row[]
  const columns = Object.keys(records[0] as Row)
  const sameShape = (row: Row) => {
    const keys = Object.keys(row)
    return keys.length === columns.length && columns.every((column) => Object.hasOwn(row, column) && row[column] !== undefined)
  }
  if (columns.length === 0 || !records.every(sameShape)) return undefined
  const refs = intern
    ? columns.filter((column) => records.every((row) => typeof row[column] === 'string' || row[column] === null) && records.some((row) => typeof row[column] === 'string' && (row[column] as string).length >= INTERN_MIN_LENGTH))
    : []
  // In a column of texts every text goes by id, except the empty one (a kernel thread's command line), which no id can be.
  const cell = (row: Row, column: string) => (refs.includes(column) && typeof row[column] === 'string' && row[column] !== '' ? (intern as (text: string) => string)(row[column] as string) : row[column])
  const table: Table = {[TABLE]: [columns, ...records.map((row) => columns.map((column) => cell(row, column)))]}
  if (refs.length > 0) table[REFS] = refs
  return table
}

function unpackTable(value: unknown, resolve: (id: string) => string | undefined, missing: Set<string>): Row[] | undefined {
  if (!isRecord(value) || !Object.keys(value).every((key) => key === TABLE || key === REFS)) return undefined
  const table = value[TABLE]
  const refs = value[REFS] ?? []
  if (!Array.isArray(table) || !table.every(Array.isArray) || !Array.isArray(refs)) return undefined
  const [columns, ...rows] = table as unknown[][]
  if (!columns?.every((column) => typeof column === 'string')) return undefined
  const cell = (column: string, stored: unknown) => {
    if (!refs.includes(column) || typeof stored !== 'string' || stored === '') return stored ?? null
    const text = resolve(stored)
    if (text === undefined) missing.add(stored)
    return text ?? null
  }
  return rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, cell(column, row[index])])))
}

/** The stored form of a doc; `intern` turns a long text into its id (and keeps the text for storing). */
export function packDoc(doc: Record<string, unknown>, intern?: (text: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).map(([key, value]) => [key, packTable(value, intern) ?? value]))
}

/** A doc from its stored form; a text id `resolve` does not know becomes null and is listed in `missing`. */
export function unpackDoc(stored: Record<string, unknown>, resolve: (id: string) => string | undefined = () => undefined): {doc: Record<string, unknown>; missing: string[]} {
  const missing = new Set<string>()
  const doc = Object.fromEntries(Object.entries(stored).map(([key, value]) => [key, unpackTable(value, resolve, missing) ?? value]))
  return {doc, missing: [...missing]}
}
