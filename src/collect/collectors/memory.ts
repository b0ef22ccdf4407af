import {readText} from '../read-file'
import {put, type Series} from '../series'
import {defineCollector} from '../types'

/** /proc/meminfo in bytes, by field name. */
export type MeminfoRaw = Record<string, number>

/** Parses /proc/meminfo ("MemTotal:  16318412 kB"). Pure. */
export function parseMeminfo(text: string): MeminfoRaw {
  const values: MeminfoRaw = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?/.exec(line)
    if (match) values[match[1] as string] = Number(match[2]) * (line.includes('kB') ? 1024 : 1)
  }
  return values
}

const percentOf = (part: number | undefined, whole: number | undefined): number | undefined =>
  part === undefined || !whole ? undefined : (part / whole) * 100

export default defineCollector<MeminfoRaw>({
  name: 'memory',
  tiers: ['basic', 'detailed', 'extended'],
  async read({procRoot}) {
    const text = await readText(`${procRoot}/meminfo`)
    return text === undefined ? undefined : parseMeminfo(text)
  },
  toSeries(meminfo, {tier}) {
    const series: Series = {}
    const total = meminfo.MemTotal
    // Kernels before 3.14 have no MemAvailable; free + buffers + cached is the old estimate.
    const available = meminfo.MemAvailable ?? (meminfo.MemFree !== undefined ? meminfo.MemFree + (meminfo.Buffers ?? 0) + (meminfo.Cached ?? 0) : undefined)
    put(series, 'memory.total_bytes', total)
    put(series, 'memory.available_bytes', available)
    put(series, 'memory.percent', total !== undefined && available !== undefined ? percentOf(total - available, total) : undefined)
    if (tier !== 'detailed') return {series}

    put(series, 'memory.used_bytes', total !== undefined && available !== undefined ? total - available : undefined)
    put(series, 'memory.free_bytes', meminfo.MemFree)
    put(series, 'memory.buffers_bytes', meminfo.Buffers)
    put(series, 'memory.cached_bytes', meminfo.Cached)
    put(series, 'memory.shared_bytes', meminfo.Shmem)
    put(series, 'memory.slab_bytes', meminfo.Slab)
    const swapTotal = meminfo.SwapTotal
    const swapUsed = swapTotal !== undefined && meminfo.SwapFree !== undefined ? swapTotal - meminfo.SwapFree : undefined
    put(series, 'swap.total_bytes', swapTotal)
    put(series, 'swap.used_bytes', swapUsed)
    put(series, 'swap.free_bytes', meminfo.SwapFree)
    put(series, 'swap.percent', swapTotal ? percentOf(swapUsed, swapTotal) : swapTotal === 0 ? 0 : undefined)
    return {series}
  },
})
