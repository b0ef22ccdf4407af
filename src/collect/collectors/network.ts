import type {Config} from '../../config/schema'
import {fields, readText} from '../read-file'
import {perSecond} from '../rates'
import {put, type Series, seriesName} from '../series'
import {defineCollector} from '../types'

export interface InterfaceCounters {
  rxBytes: number
  rxPackets: number
  rxErrors: number
  rxDropped: number
  txBytes: number
  txPackets: number
  txErrors: number
  txDropped: number
}

export interface InterfaceRaw {
  name: string
  counters: InterfaceCounters
  /** Link speed in Mbit/s; undefined when the driver does not say (virtual links, Wi-Fi). */
  speedMbps?: number
  up?: boolean
  mtu?: number
}

/** Parses /proc/net/dev. An interface listed twice keeps its first line. Pure. */
export function parseNetDev(text: string): Map<string, InterfaceCounters> {
  const interfaces = new Map<string, InterfaceCounters>()
  for (const line of text.split('\n')) {
    const colon = line.lastIndexOf(':')
    if (colon === -1 || line.includes('|')) continue
    const name = line.slice(0, colon).trim()
    const values = fields(line.slice(colon + 1)).map(Number)
    if (!name || values.length < 16 || interfaces.has(name)) continue
    const at = (index: number) => values[index] as number
    interfaces.set(name, {
      rxBytes: at(0), rxPackets: at(1), rxErrors: at(2), rxDropped: at(3),
      txBytes: at(8), txPackets: at(9), txErrors: at(10), txDropped: at(11),
    })
  }
  return interfaces
}

export function selectInterface(name: string, interfaces: Config['monitoring']['interfaces']): boolean {
  if (interfaces.exclude.includes(name)) return false
  return interfaces.include.length === 0 || interfaces.include.includes(name)
}

const sysNumber = async (path: string): Promise<number | undefined> => {
  const text = await readText(path)
  const value = text === undefined ? Number.NaN : Number(text.trim())
  return Number.isFinite(value) ? value : undefined
}

export default defineCollector<InterfaceRaw[]>({
  name: 'network',
  tiers: ['basic', 'detailed', 'extended'],
  async read({procRoot, sysRoot, config, tiers}) {
    const text = await readText(`${procRoot}/net/dev`)
    if (text === undefined) return undefined
    const withDetail = tiers.includes('detailed')
    const selected = [...parseNetDev(text)].filter(([name]) => selectInterface(name, config.monitoring.interfaces))
    return Promise.all(selected.map(async ([name, counters]): Promise<InterfaceRaw> => {
      const base = `${sysRoot}/class/net/${name}`
      const speed = await sysNumber(`${base}/speed`)
      const raw: InterfaceRaw = {name, counters, speedMbps: speed !== undefined && speed > 0 ? speed : undefined}
      if (withDetail) {
        raw.up = (await readText(`${base}/operstate`))?.trim() === 'up'
        raw.mtu = await sysNumber(`${base}/mtu`)
      }
      return raw
    }))
  },
  toSeries(interfaces, {tier, elapsedS, previous}) {
    const series: Series = {}
    const counters: Record<string, number> = {}
    for (const {name, counters: now, speedMbps} of interfaces) {
      const labels = {iface: name}
      const rated = (metric: string, value: number): number | undefined => {
        const key = seriesName(metric, labels)
        counters[key] = value
        return perSecond(value, previous[key], elapsedS)
      }
      put(series, seriesName('net.rx_bytes', labels), now.rxBytes)
      put(series, seriesName('net.tx_bytes', labels), now.txBytes)
      put(series, seriesName('net.rx_packets', labels), now.rxPackets)
      put(series, seriesName('net.tx_packets', labels), now.txPackets)
      const rxBytesPerSec = rated('net.rx_bytes', now.rxBytes)
      const txBytesPerSec = rated('net.tx_bytes', now.txBytes)
      put(series, seriesName('net.rx_bytes_per_sec', labels), rxBytesPerSec)
      put(series, seriesName('net.tx_bytes_per_sec', labels), txBytesPerSec)
      put(series, seriesName('net.rx_packets_per_sec', labels), rated('net.rx_packets', now.rxPackets))
      put(series, seriesName('net.tx_packets_per_sec', labels), rated('net.tx_packets', now.txPackets))
      if (speedMbps !== undefined && rxBytesPerSec !== undefined && txBytesPerSec !== undefined) {
        const linkBytesPerSec = (speedMbps * 1_000_000) / 8
        put(series, seriesName('net.utilization_percent', labels), Math.min(100, (Math.max(rxBytesPerSec, txBytesPerSec) / linkBytesPerSec) * 100))
      }
      if (tier === 'detailed') {
        put(series, seriesName('net.rx_errors', labels), now.rxErrors)
        put(series, seriesName('net.tx_errors', labels), now.txErrors)
        put(series, seriesName('net.rx_dropped', labels), now.rxDropped)
        put(series, seriesName('net.tx_dropped', labels), now.txDropped)
      }
    }
    if (tier !== 'detailed') return {series, counters}
    const doc = {interfaces: interfaces.map(({name, speedMbps, up, mtu}) => ({name, up: up ?? null, speed_mbps: speedMbps ?? null, mtu: mtu ?? null}))}
    return {series, counters, doc}
  },
})
