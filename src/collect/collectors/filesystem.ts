import {statfs} from 'node:fs/promises'

import type {Config} from '../../config/schema'
import {fields, readText} from '../read-file'
import {put, type Series, seriesName} from '../series'
import {defineCollector} from '../types'

export interface Mount {
  device: string
  mount: string
  fstype: string
  options: string
}

export interface MountUsage extends Mount {
  /** statfs numbers, in blocks of `blockSize` bytes; absent when statfs failed or hung. */
  blockSize?: number
  blocks?: number
  blocksFree?: number
  blocksAvailable?: number
  files?: number
  filesFree?: number
}

/** /proc/mounts escapes space, tab, newline and backslash as octal (`\040`). */
const unescapeMount = (value: string): string => value.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))

/** Parses /proc/self/mounts. Pure. */
export function parseMounts(text: string): Mount[] {
  return text.split('\n').flatMap((line) => {
    const [device, mount, fstype, options] = fields(line)
    if (!device || !mount || !fstype) return []
    return [{device: unescapeMount(device), mount: unescapeMount(mount), fstype, options: options ?? ''}]
  })
}

/**
 * The mounts worth watching: not a pseudo filesystem, not excluded, in the
 * include list when there is one, each mount point once (the last mount on a
 * path is the visible one).
 */
export function selectMounts(mounts: Mount[], filesystems: Config['monitoring']['filesystems']): Mount[] {
  const excludedTypes = new Set(filesystems.exclude_types)
  const byPath = new Map<string, Mount>()
  for (const mount of mounts) {
    if (excludedTypes.has(mount.fstype)) continue
    if (filesystems.exclude_mounts.includes(mount.mount)) continue
    if (filesystems.include_mounts.length > 0 && !filesystems.include_mounts.includes(mount.mount)) continue
    byPath.delete(mount.mount)
    byPath.set(mount.mount, mount)
  }
  return [...byPath.values()]
}

/** A hung network filesystem must not hang the collection: give statfs this long. */
const STATFS_TIMEOUT_MS = 2000

async function statfsWithTimeout(path: string): Promise<Awaited<ReturnType<typeof statfs>> | undefined> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), STATFS_TIMEOUT_MS)
    timer.unref()
  })
  try {
    return await Promise.race([statfs(path).catch(() => undefined), timeout])
  } finally {
    clearTimeout(timer)
  }
}

export default defineCollector<MountUsage[]>({
  name: 'filesystem',
  tiers: ['basic', 'detailed', 'extended'],
  async read({procRoot, config}) {
    const text = await readText(`${procRoot}/self/mounts`) ?? await readText(`${procRoot}/mounts`)
    if (text === undefined) return undefined
    const mounts = selectMounts(parseMounts(text), config.monitoring.filesystems)
    return Promise.all(mounts.map(async (mount): Promise<MountUsage> => {
      const stats = await statfsWithTimeout(mount.mount)
      if (!stats) return mount
      return {...mount, blockSize: Number(stats.bsize), blocks: Number(stats.blocks), blocksFree: Number(stats.bfree), blocksAvailable: Number(stats.bavail), files: Number(stats.files), filesFree: Number(stats.ffree)}
    }))
  },
  toSeries(mounts, {tier}) {
    const series: Series = {}
    for (const usage of mounts) {
      const {blockSize, blocks, blocksFree, blocksAvailable} = usage
      if (blockSize === undefined || blocks === undefined || blocksFree === undefined || blocksAvailable === undefined || blocks === 0) continue
      const labels = {mount: usage.mount}
      const usedBlocks = blocks - blocksFree
      put(series, seriesName('disk.total_bytes', labels), blocks * blockSize)
      put(series, seriesName('disk.used_bytes', labels), usedBlocks * blockSize)
      // As df's Use%: the root-reserved blocks count as neither used nor available.
      const usable = usedBlocks + blocksAvailable
      put(series, seriesName('disk.used_percent', labels), usable > 0 ? (usedBlocks / usable) * 100 : undefined)
      if (tier === 'detailed') {
        put(series, seriesName('disk.available_bytes', labels), blocksAvailable * blockSize)
        if (usage.files) put(series, seriesName('disk.inodes_used_percent', labels), ((usage.files - (usage.filesFree ?? 0)) / usage.files) * 100)
      }
    }
    if (tier !== 'detailed') return {series}
    return {series, doc: {partitions: mounts.map(({device, mount, fstype, options}) => ({device, mount, fstype, options}))}}
  },
})
