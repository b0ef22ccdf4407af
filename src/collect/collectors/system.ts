import {readdir, readFile} from 'node:fs/promises'
import {loadavg} from 'node:os'

import {readText} from '../read-file'
import {put, type Series} from '../series'
import {defineCollector} from '../types'

export interface SystemRaw {
  load: number[]
  uptimeS?: number
  /** Logged-in user sessions (USER_PROCESS records in utmp). */
  users?: number
  processes?: number
  /** Allocated file handles, system-wide (/proc/sys/fs/file-nr). */
  openFiles?: number
  maxFiles?: number
  /** TCP and UDP sockets in use, IPv4 and IPv6 (/proc/net/sockstat and sockstat6). */
  connections?: number
  tcpEstablished?: number
}

/** glibc's utmp record on Linux: 384 bytes, ut_type a 32-bit int at offset 0; 7 is USER_PROCESS. */
const UTMP_RECORD_BYTES = 384
const USER_PROCESS = 7

/** Counts logged-in sessions in a utmp file. Pure. */
export function countUtmpUsers(utmp: Buffer): number {
  let users = 0
  for (let offset = 0; offset + UTMP_RECORD_BYTES <= utmp.length; offset += UTMP_RECORD_BYTES) {
    if (utmp.readInt32LE(offset) === USER_PROCESS) users++
  }
  return users
}

/**
 * Sockets in use from /proc/net/sockstat and sockstat6 ("TCP: inuse 2 …",
 * "UDP6: inuse 0"): TCP and UDP, IPv4 and IPv6. The kernel keeps these
 * counts; listing /proc/net/tcp instead walks the whole connection hash
 * table, ~5 ms of kernel time per file on a machine with much memory. Pure.
 */
export function socketsInUse(...tables: (string | undefined)[]): number | undefined {
  let total: number | undefined
  for (const table of tables) {
    for (const match of (table ?? '').matchAll(/^(TCP6?|UDP6?): inuse (\d+)/gm)) total = (total ?? 0) + Number(match[2])
  }
  return total
}

/** TCP connections in ESTABLISHED or CLOSE-WAIT, IPv4 and IPv6: CurrEstab of /proc/net/snmp. Pure. */
export function tcpEstablished(snmp: string | undefined): number | undefined {
  const [names, values] = (snmp ?? '').split('\n').filter((line) => line.startsWith('Tcp:'))
  if (!names || !values) return undefined
  const index = names.split(/\s+/).indexOf('CurrEstab')
  const value = Number(values.split(/\s+/)[index])
  return index > 0 && Number.isFinite(value) ? value : undefined
}

export default defineCollector<SystemRaw>({
  name: 'system',
  tiers: ['detailed', 'extended'],
  async read({procRoot}) {
    const [uptime, fileNr, entries, utmp, sockstat, sockstat6, snmp] = await Promise.all([
      readText(`${procRoot}/uptime`),
      readText(`${procRoot}/sys/fs/file-nr`),
      readdir(procRoot).catch(() => undefined),
      readFile('/var/run/utmp').catch(() => undefined),
      readText(`${procRoot}/net/sockstat`),
      readText(`${procRoot}/net/sockstat6`),
      readText(`${procRoot}/net/snmp`),
    ])
    const [allocated, , max] = (fileNr ?? '').trim().split(/\s+/).map(Number)
    return {
      load: procRoot === '/proc' ? loadavg() : (await readText(`${procRoot}/loadavg`))?.split(' ').slice(0, 3).map(Number) ?? [],
      uptimeS: uptime ? Number(uptime.split(' ')[0]) : undefined,
      users: utmp ? countUtmpUsers(utmp) : undefined,
      processes: entries?.filter((name) => /^\d+$/.test(name)).length,
      openFiles: allocated,
      maxFiles: max,
      connections: socketsInUse(sockstat, sockstat6),
      tcpEstablished: tcpEstablished(snmp),
    }
  },
  toSeries(raw) {
    const series: Series = {}
    put(series, 'load.1', raw.load[0])
    put(series, 'load.5', raw.load[1])
    put(series, 'load.15', raw.load[2])
    put(series, 'system.uptime_seconds', raw.uptimeS)
    put(series, 'system.users', raw.users)
    put(series, 'system.processes', raw.processes)
    put(series, 'system.open_files', raw.openFiles)
    if (raw.openFiles !== undefined && raw.maxFiles) put(series, 'system.open_files_percent', (raw.openFiles / raw.maxFiles) * 100)
    put(series, 'net.connections', raw.connections)
    put(series, 'net.tcp_established', raw.tcpEstablished)
    return {series}
  },
})
