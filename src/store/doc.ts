/**
 * The stored form of a sample's `doc`. A list of records that all have the
 * same keys (processes, partitions, interfaces) is stored as a table: the
 * keys once, then one array of values per record. A week of extended
 * snapshots would otherwise repeat "memory_percent" and its siblings some
 * 200 000 times. A long text in a table (a command line, mount options)
 * is stored once per host (see samples.ts): its cell holds `[k]`, the
 * position of the text's id in the entry's list of ids. Pure; packDoc then
 * unpackDoc gives back what went in.
 */

const TABLE = '~table'
/** The columns of a table that may hold references to texts. */
const REFS = '~refs'
/** A text at least this long is stored once, by id. */
export const INTERN_MIN_LENGTH = 24

type Row = Record<string, unknown>
interface Table {
  [TABLE]: unknown[][]
  [REFS]?: string[]
}

const isRecord = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value)

function packTable(value: unknown, intern?: (text: string) => number): Table | undefined {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord)) return undefined
  const records = value as Row[]
  const columns = Object.keys(records[0] as Row)
  const sameShape = (row: Row) => {
    const keys = Object.keys(row)
    return keys.length === columns.length && columns.every((column) => Object.hasOwn(row, column) && row[column] !== undefined)
  }
  if (columns.length === 0 || !records.every(sameShape)) return undefined
  const long = (cell: unknown): cell is string => typeof cell === 'string' && cell.length >= INTERN_MIN_LENGTH
  // Only columns of texts (and nulls) hold references, so a reference `[k]` never meets a real list.
  const refs = intern ? columns.filter((column) => records.every((row) => typeof row[column] === 'string' || row[column] === null) && records.some((row) => long(row[column]))) : []
  const cell = (row: Row, column: string) => (refs.includes(column) && long(row[column]) ? [(intern as (text: string) => number)(row[column])] : row[column])
  const table: Table = {[TABLE]: [columns, ...records.map((row) => columns.map((column) => cell(row, column)))]}
  if (refs.length > 0) table[REFS] = refs
  return table
}

function unpackTable(value: unknown, resolve: (position: number) => string | undefined, missing: Set<number>): Row[] | undefined {
  if (!isRecord(value) || !Object.keys(value).every((key) => key === TABLE || key === REFS)) return undefined
  const table = value[TABLE]
  const refs = value[REFS] ?? []
  if (!Array.isArray(table) || !table.every(Array.isArray) || !Array.isArray(refs)) return undefined
  const [columns, ...rows] = table as unknown[][]
  if (!columns?.every((column) => typeof column === 'string')) return undefined
  const cell = (column: string, stored: unknown) => {
    if (!refs.includes(column) || !Array.isArray(stored)) return stored ?? null
    const position = Number(stored[0])
    const text = resolve(position)
    if (text === undefined) missing.add(position)
    return text ?? null
  }
  return rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, cell(column, row[index])])))
}

/** The stored form of a doc; `intern` keeps a long text and gives its position in the entry's list of ids. */
export function packDoc(doc: Record<string, unknown>, intern?: (text: string) => number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).map(([key, value]) => [key, packTable(value, intern) ?? value]))
}

/** A doc from its stored form; a reference `resolve` cannot follow becomes null and is listed in `missing`. */
export function unpackDoc(stored: Record<string, unknown>, resolve: (position: number) => string | undefined = () => undefined): {doc: Record<string, unknown>; missing: number[]} {
  const missing = new Set<number>()
  const doc = Object.fromEntries(Object.entries(stored).map(([key, value]) => [key, unpackTable(value, resolve, missing) ?? value]))
  return {doc, missing: [...missing]}
}
