import {arch, cpus, release, totalmem} from 'node:os'

import {defineCollector} from '../types'

export interface HostFacts {
  os: string
  kernel: string
  arch: string
  cpu_model: string
  cpu_count: number
  memory_bytes: number
}

/**
 * Host facts for reports and `monitor hosts`. systeminformation names the
 * distribution on every platform; it costs ~75 ms, so it runs only in the
 * extended tier (every 5 minutes) and is loaded only then.
 */
export default defineCollector<HostFacts>({
  name: 'host',
  tiers: ['extended'],
  async read() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only this tier pays for it
    const si = require('systeminformation') as typeof import('systeminformation')
    const info = await si.osInfo().catch(() => undefined)
    const cpu = cpus()
    return {
      os: info ? [info.distro, info.release].filter(Boolean).join(' ') : process.platform,
      kernel: info?.kernel || release(),
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
