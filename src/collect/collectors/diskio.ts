import {fields, readText} from '../read-file'
import {perSecond} from '../rates'
import {put, type Series, seriesName} from '../series'
import {defineCollector} from '../types'

export interface DiskCounters {
  device: string
  reads: number
  readSectors: number
  writes: number
  writtenSectors: number
  /** Milliseconds the device had I/O in flight (field 10 of the stats; iostat's %util source). */
  ioMs: number
}

/** /proc/diskstats counts sectors of 512 bytes, whatever the device's own sector size. */
const SECTOR_BYTES = 512

/** Parses /proc/diskstats, leaving out devices that match `exclude`. Pure. */
export function parseDiskstats(text: string, exclude: RegExp): DiskCounters[] {
  return text.split('\n').flatMap((line) => {
    const column = fields(line)
    const device = column[2]
    if (!device || column.length < 14 || exclude.test(device)) return []
    const at = (index: number) => Number(column[index])
    return [{device, reads: at(3), readSectors: at(5), writes: at(7), writtenSectors: at(9), ioMs: at(12)}]
  })
}

export default defineCollector<DiskCounters[]>({
  name: 'diskio',
  tiers: ['detailed', 'extended'],
  async read({procRoot, config}) {
    const text = await readText(`${procRoot}/diskstats`)
    return text === undefined ? undefined : parseDiskstats(text, new RegExp(config.monitoring.disks.exclude))
  },
  toSeries(disks, {elapsedS, previous}) {
    const series: Series = {}
    const counters: Record<string, number> = {}
    for (const disk of disks) {
      const labels = {device: disk.device}
      const rated = (metric: string, value: number): number | undefined => {
        const key = seriesName(metric, labels)
        counters[key] = value
        return perSecond(value, previous[key], elapsedS)
      }
      put(series, seriesName('disk.reads_per_sec', labels), rated('disk.reads', disk.reads))
      put(series, seriesName('disk.writes_per_sec', labels), rated('disk.writes', disk.writes))
      const readSectorsPerSec = rated('disk.read_sectors', disk.readSectors)
      const writtenSectorsPerSec = rated('disk.written_sectors', disk.writtenSectors)
      put(series, seriesName('disk.read_bytes_per_sec', labels), readSectorsPerSec === undefined ? undefined : readSectorsPerSec * SECTOR_BYTES)
      put(series, seriesName('disk.write_bytes_per_sec', labels), writtenSectorsPerSec === undefined ? undefined : writtenSectorsPerSec * SECTOR_BYTES)
      const ioMsPerSec = rated('disk.io_ms', disk.ioMs)
      put(series, seriesName('disk.busy_percent', labels), ioMsPerSec === undefined ? undefined : Math.min(100, ioMsPerSec / 10))
    }
    return {series, counters}
  },
})
