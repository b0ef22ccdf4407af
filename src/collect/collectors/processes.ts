import {readdir} from 'node:fs/promises'

import {readText} from '../read-file'
import {put, type Series, seriesName} from '../series'
import {defineCollector} from '../types'

export interface ProcessRaw {
  pid: number
  name: string
  state: string
  /** utime + stime in clock ticks (USER_HZ, 100 per second on Linux). */
  cpuTicks: number
  /** Start time in ticks after boot: with the pid, it names one process across pid reuse. */
  startTicks: number
  rssPages: number
  cmdline?: string
}

export interface ProcessesRaw {
  processes: ProcessRaw[]
  pageBytes: number
  memTotalBytes?: number
  /** Reads the command lines of the chosen pids (I/O, done only for the top few). */
  cmdlines?: Map<number, string>
}

const TICKS_PER_SECOND = 100
/** Snapshots stay compact: a week of them every 5 minutes is most of a host's memory in Redis. */
const CMDLINE_CHARS = 100
const NAME_CHARS = 64
const STATE_NAMES: Record<string, string> = {
  R: 'running', S: 'sleeping', D: 'disk_sleep', Z: 'zombie', T: 'stopped', t: 'tracing_stop', I: 'idle', X: 'dead', W: 'paging', P: 'parked',
}

/**
 * Parses /proc/<pid>/stat. The name sits in parentheses and may itself hold
 * spaces and parentheses, so the fields are counted from the last ")". Pure.
 */
export function parseProcStat(pid: number, text: string): ProcessRaw | undefined {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open === -1 || close < open) return undefined
  const rest = text.slice(close + 2).split(' ')
  // rest[0] is field 3 (state); utime is field 14, stime 15, starttime 22, rss 24.
  const at = (field: number) => Number(rest[field - 3])
  const cpuTicks = at(14) + at(15)
  if (!Number.isFinite(cpuTicks)) return undefined
  return {pid, name: text.slice(open + 1, close), state: rest[0] ?? '?', cpuTicks, startTicks: at(22), rssPages: at(24)}
}

const counterKey = (process: ProcessRaw) => `proc.ticks{pid="${process.pid}",start="${process.startTicks}"}`

/** The page size, from this process's own resident size in bytes and in pages. */
async function pageBytes(procRoot: string): Promise<number> {
  const statm = await readText(`${procRoot}/self/statm`)
  const residentPages = Number(statm?.split(' ')[1])
  if (!(residentPages > 0)) return 4096
  return 2 ** Math.round(Math.log2(process.memoryUsage().rss / residentPages))
}

export default defineCollector<ProcessesRaw>({
  name: 'processes',
  tiers: ['extended'],
  async read({procRoot}) {
    const entries = await readdir(procRoot).catch(() => undefined)
    if (!entries) return undefined
    const pids = entries.filter((name) => /^\d+$/.test(name)).map(Number)
    const [processes, meminfo, page] = await Promise.all([
      Promise.all(pids.map(async (pid) => {
        const text = await readText(`${procRoot}/${pid}/stat`)
        return text === undefined ? undefined : parseProcStat(pid, text)
      })),
      readText(`${procRoot}/meminfo`),
      pageBytes(procRoot),
    ])
    const memTotalKb = Number(/MemTotal:\s+(\d+)/.exec(meminfo ?? '')?.[1])
    const found = processes.filter((process): process is ProcessRaw => process !== undefined)
    // Command lines only for the likely top entries; reading all of them would double the cost.
    const top = [...found].sort((a, b) => b.rssPages - a.rssPages).slice(0, 50)
    await Promise.all(top.map(async (process) => {
      const cmdline = await readText(`${procRoot}/${process.pid}/cmdline`)
      if (cmdline) process.cmdline = cmdline.replaceAll('\0', ' ').trim().slice(0, CMDLINE_CHARS)
    }))
    return {processes: found, pageBytes: page, memTotalBytes: memTotalKb > 0 ? memTotalKb * 1024 : undefined}
  },
  toSeries(raw, {config, elapsedS, previous}) {
    const series: Series = {}
    const counters: Record<string, number> = {}
    const states: Record<string, number> = {}
    const rows = raw.processes.map((process) => {
      const key = counterKey(process)
      counters[key] = process.cpuTicks
      const before = previous[key]
      const cpuPercent = before !== undefined && elapsedS && process.cpuTicks >= before
        ? ((process.cpuTicks - before) / TICKS_PER_SECOND / elapsedS) * 100
        : undefined
      const stateName = STATE_NAMES[process.state] ?? 'other'
      states[stateName] = (states[stateName] ?? 0) + 1
      const rssBytes = process.rssPages * raw.pageBytes
      return {
        pid: process.pid,
        name: process.name.slice(0, NAME_CHARS),
        cmdline: process.cmdline ?? '',
        state: stateName,
        cpu_percent: cpuPercent === undefined ? null : Math.round(cpuPercent * 100) / 100,
        memory_percent: raw.memTotalBytes ? Math.round((rssBytes / raw.memTotalBytes) * 10_000) / 100 : null,
        rss_bytes: rssBytes,
      }
    })
    put(series, 'proc.count', raw.processes.length)
    for (const [state, count] of Object.entries(states)) put(series, seriesName('proc.count', {state}), count)
    const top = config.monitoring.processes.top
    const topCpu = rows.filter((row) => row.cpu_percent !== null).sort((a, b) => (b.cpu_percent ?? 0) - (a.cpu_percent ?? 0)).slice(0, top)
    const topMemory = [...rows].sort((a, b) => b.rss_bytes - a.rss_bytes).slice(0, top)
    // One row per process, the two rankings as pids: a process high in both is stored once.
    const processes = [...new Map([...topCpu, ...topMemory].map((row) => [row.pid, row])).values()]
    return {series, counters, doc: {processes, top_cpu: topCpu.map((row) => row.pid), top_memory: topMemory.map((row) => row.pid)}}
  },
})

export interface ProcessDocRow {
  pid: number
  name: string
  cmdline: string
  state?: string
  cpu_percent: number | null
  memory_percent: number | null
  rss_bytes?: number
}

/**
 * The top processes by cpu or memory from an extended sample's doc: the
 * process table and the ranking as pids (or, in samples written before that,
 * the rows themselves). Pure.
 */
export function topProcesses(doc: Record<string, unknown> | undefined, by: 'cpu' | 'memory'): ProcessDocRow[] {
  const ranking = doc?.[by === 'cpu' ? 'top_cpu' : 'top_memory']
  if (!Array.isArray(ranking)) return []
  if (ranking.every((entry) => typeof entry === 'object' && entry !== null)) return ranking as ProcessDocRow[]
  const table = new Map(((Array.isArray(doc?.processes) ? doc.processes : []) as ProcessDocRow[]).map((row) => [row.pid, row]))
  return ranking.flatMap((pid) => (table.has(pid as number) ? [table.get(pid as number) as ProcessDocRow] : []))
}
