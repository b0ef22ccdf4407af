/**
 * The stored form of a sample's `doc`. A list of records that all have the
 * same keys (processes, partitions, interfaces) is stored as a table: the
 * keys once, then one array of values per record. A week of extended
 * snapshots would otherwise repeat "memory_percent" and its siblings some
 * 200 000 times. Pure; packDoc then unpackDoc gives back what went in.
 */

const TABLE = '~table'

type Row = Record<string, unknown>

const isRecord = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value)

function packTable(value: unknown): {[TABLE]: unknown[][]} | undefined {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord)) return undefined
  const columns = Object.keys(value[0] as Row)
  const sameShape = (row: Row) => {
    const keys = Object.keys(row)
    return keys.length === columns.length && columns.every((column) => Object.hasOwn(row, column) && row[column] !== undefined)
  }
  if (columns.length === 0 || !(value as Row[]).every(sameShape)) return undefined
  return {[TABLE]: [columns, ...(value as Row[]).map((row) => columns.map((column) => row[column]))]}
}

function unpackTable(value: unknown): Row[] | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 1) return undefined
  const table = value[TABLE]
  if (!Array.isArray(table) || !table.every(Array.isArray)) return undefined
  const [columns, ...rows] = table as unknown[][]
  if (!columns?.every((column) => typeof column === 'string')) return undefined
  return rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null])))
}

export function packDoc(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).map(([key, value]) => [key, packTable(value) ?? value]))
}

export function unpackDoc(stored: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stored).map(([key, value]) => [key, unpackTable(value) ?? value]))
}
