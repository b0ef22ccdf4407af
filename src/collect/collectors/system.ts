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
  /** Lines of /proc/net/{tcp,tcp6,udp,udp6}: every inet socket, as psutil counts connections. */
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

/** Counts sockets in a /proc/net/tcp-style table, and those in state 01 (ESTABLISHED). Pure. */
export function countSockets(table: string): {sockets: number; established: number} {
  let sockets = 0
  let established = 0
  for (const line of table.split('\n').slice(1)) {
    const state = line.trim().split(/\s+/)[3]
    if (!state) continue
    sockets++
    if (state === '01') established++
  }
  return {sockets, established}
}

export default defineCollector<SystemRaw>({
  name: 'system',
  tiers: ['detailed'],
  async read({procRoot}) {
    const [uptime, fileNr, entries, utmp, ...tables] = await Promise.all([
      readText(`${procRoot}/uptime`),
      readText(`${procRoot}/sys/fs/file-nr`),
      readdir(procRoot).catch(() => undefined),
      readFile('/var/run/utmp').catch(() => undefined),
      ...['tcp', 'tcp6', 'udp', 'udp6'].map((name) => readText(`${procRoot}/net/${name}`)),
    ])
    const counted = tables.filter((table) => table !== undefined).map((table) => countSockets(table as string))
    const [allocated, , max] = (fileNr ?? '').trim().split(/\s+/).map(Number)
    return {
      load: procRoot === '/proc' ? loadavg() : (await readText(`${procRoot}/loadavg`))?.split(' ').slice(0, 3).map(Number) ?? [],
      uptimeS: uptime ? Number(uptime.split(' ')[0]) : undefined,
      users: utmp ? countUtmpUsers(utmp) : undefined,
      processes: entries?.filter((name) => /^\d+$/.test(name)).length,
      openFiles: allocated,
      maxFiles: max,
      connections: counted.length > 0 ? counted.reduce((sum, table) => sum + table.sockets, 0) : undefined,
      tcpEstablished: counted.length >= 2 ? (counted[0]?.established ?? 0) + (counted[1]?.established ?? 0) : undefined,
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
