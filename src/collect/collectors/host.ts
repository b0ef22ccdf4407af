import {arch, cpus, release, totalmem} from 'node:os'

import {readTextSync} from '../read-file'
import {defineCollector} from '../types'

export interface HostFacts {
  os: string
  kernel: string
  arch: string
  cpu_model: string
  cpu_count: number
  memory_bytes: number
}

/** PRETTY_NAME (or NAME VERSION) from an os-release file. Pure. */
export function parseOsRelease(text: string): string | undefined {
  const values = Object.fromEntries(text.split('\n').flatMap((line) => {
    const match = /^([A-Z_]+)=("?)(.*)\2$/.exec(line.trim())
    return match ? [[match[1], match[3]]] : []
  })) as Record<string, string>
  return values.PRETTY_NAME || [values.NAME, values.VERSION].filter(Boolean).join(' ') || undefined
}

/**
 * Host facts for reports and `monitor hosts`, in the extended tier. Linux
 * names its distribution in /etc/os-release; elsewhere systeminformation's
 * osInfo() does, which spawns helper processes (~75 ms), so it is loaded only
 * when that file is missing.
 */
export default defineCollector<HostFacts>({
  name: 'host',
  tiers: ['extended'],
  async read() {
    let os = parseOsRelease(readTextSync('/etc/os-release') ?? readTextSync('/usr/lib/os-release') ?? '')
    if (!os) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only where os-release is missing
      const si = require('systeminformation') as typeof import('systeminformation')
      const info = await si.osInfo().catch(() => undefined)
      os = info ? [info.distro, info.release].filter(Boolean).join(' ') : undefined
    }
    const cpu = cpus()
    return {
      os: os ?? process.platform,
      kernel: release(),
      arch: arch(),
      cpu_model: cpu[0]?.model.trim() ?? '',
      cpu_count: cpu.length,
      memory_bytes: totalmem(),
    }
  },
  toSeries(facts) {
    return {series: {}, doc: {host: facts}}
  },
})
