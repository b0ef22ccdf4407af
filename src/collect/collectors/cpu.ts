import {cpus} from 'node:os'

import {readText, fields} from '../read-file'
import {perSecond, sharePercent} from '../rates'
import {put, type Series, seriesName} from '../series'
import {defineCollector} from '../types'

/** /proc/stat columns of the cpu lines, in order. */
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const

export interface CpuTicks {
  /** Ticks per mode; guest time is already inside user and nice. */
  modes: Record<(typeof MODES)[number], number>
  total: number
  busy: number
}

export interface CpuRaw {
  all: CpuTicks
  perCpu: Map<string, CpuTicks>
  contextSwitches?: number
  interrupts?: number
  processesCreated?: number
  procsRunning?: number
  procsBlocked?: number
  bootTimeS?: number
  /** Current clock of each CPU in MHz, from os.cpus(); may be empty. */
  mhz: number[]
}

function parseTicks(columns: string[]): CpuTicks {
  const values = MODES.map((_mode, index) => Number(columns[index] ?? 0))
  const modes = Object.fromEntries(MODES.map((mode, index) => [mode, values[index] as number])) as CpuTicks['modes']
  const total = values.reduce((sum, value) => sum + value, 0)
  return {modes, total, busy: total - modes.idle - modes.iowait}
}

/** Parses /proc/stat. Pure. */
export function parseProcStat(text: string, mhz: number[] = []): CpuRaw | undefined {
  let all: CpuTicks | undefined
  const raw: Omit<CpuRaw, 'all'> = {perCpu: new Map(), mhz}
  for (const line of text.split('\n')) {
    const [key, ...rest] = fields(line)
    if (!key) continue
    if (key === 'cpu') all = parseTicks(rest)
    else if (key.startsWith('cpu')) raw.perCpu.set(key.slice(3), parseTicks(rest))
    else if (key === 'ctxt') raw.contextSwitches = Number(rest[0])
    else if (key === 'intr') raw.interrupts = Number(rest[0])
    else if (key === 'processes') raw.processesCreated = Number(rest[0])
    else if (key === 'procs_running') raw.procsRunning = Number(rest[0])
    else if (key === 'procs_blocked') raw.procsBlocked = Number(rest[0])
    else if (key === 'btime') raw.bootTimeS = Number(rest[0])
  }
  return all ? {...raw, all} : undefined
}

export default defineCollector<CpuRaw>({
  name: 'cpu',
  tiers: ['basic', 'detailed', 'extended'],
  async read({procRoot}) {
    const text = await readText(`${procRoot}/stat`)
    if (text === undefined) return undefined
    return parseProcStat(text, cpus().map((cpu) => cpu.speed).filter((speed) => speed > 0))
  },
  toSeries(raw, {tier, elapsedS, previous}) {
    const series: Series = {}
    const counters: Record<string, number> = {'cpu.busy': raw.all.busy, 'cpu.total': raw.all.total}
    put(series, 'cpu.percent', sharePercent(raw.all.busy, previous['cpu.busy'], raw.all.total, previous['cpu.total']))
    put(series, 'cpu.count', raw.perCpu.size || undefined)
    put(series, 'cpu.freq_mhz', raw.mhz.length > 0 ? raw.mhz.reduce((sum, value) => sum + value, 0) / raw.mhz.length : undefined)
    if (tier !== 'detailed') return {series, counters}

    for (const [id, ticks] of raw.perCpu) {
      counters[`cpu.busy{cpu="${id}"}`] = ticks.busy
      counters[`cpu.total{cpu="${id}"}`] = ticks.total
      put(series, seriesName('cpu.percent', {cpu: id}), sharePercent(ticks.busy, previous[`cpu.busy{cpu="${id}"}`], ticks.total, previous[`cpu.total{cpu="${id}"}`]))
    }
    for (const mode of MODES) {
      counters[`cpu.ticks{mode="${mode}"}`] = raw.all.modes[mode]
      put(series, seriesName('cpu.time_percent', {mode}), sharePercent(raw.all.modes[mode], previous[`cpu.ticks{mode="${mode}"}`], raw.all.total, previous['cpu.total']))
    }
    const rated = {
      'cpu.context_switches_per_sec': ['cpu.context_switches', raw.contextSwitches],
      'cpu.interrupts_per_sec': ['cpu.interrupts', raw.interrupts],
      'system.forks_per_sec': ['system.forks', raw.processesCreated],
    } as const
    for (const [name, [counter, value]] of Object.entries(rated)) {
      if (value === undefined) continue
      counters[counter] = value
      put(series, name, perSecond(value, previous[counter], elapsedS))
    }
    put(series, 'system.procs_running', raw.procsRunning)
    put(series, 'system.procs_blocked', raw.procsBlocked)
    return {series, counters}
  },
})
