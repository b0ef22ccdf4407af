import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import filesystem, {parseMounts, selectMounts} from '../../../src/collect/collectors/filesystem'
import {defaults} from '../../../src/config/defaults'
import {context, hostA} from './fixtures'

describe('filesystem collector', () => {
  const mounts = parseMounts(hostA('proc/self/mounts'))

  it('decodes octal escapes in mount points', () => {
    assert.ok(mounts.some((mount) => mount.mount === '/srv/my media'))
  })

  it('leaves out pseudo filesystems (sysfs, proc, tmpfs, overlay, squashfs…) by default', () => {
    const selected = selectMounts(mounts, defaults.monitoring.filesystems).map((mount) => mount.mount)
    assert.deepEqual(selected, ['/', '/boot/efi', '/srv/my media'])
  })

  it('honours include and exclude lists', () => {
    const only = selectMounts(mounts, {...defaults.monitoring.filesystems, include_mounts: ['/']}).map((mount) => mount.mount)
    assert.deepEqual(only, ['/'])
    const without = selectMounts(mounts, {...defaults.monitoring.filesystems, exclude_mounts: ['/boot/efi']}).map((mount) => mount.mount)
    assert.deepEqual(without, ['/', '/srv/my media'])
  })

  it("computes used percent as df does: reserved blocks are neither used nor available", () => {
    const usage = [{device: '/dev/sda1', mount: '/', fstype: 'ext4', options: 'rw', blockSize: 4096, blocks: 1000, blocksFree: 300, blocksAvailable: 250, files: 100, filesFree: 75}]
    const {series, doc} = filesystem.toSeries(usage, context('detailed'))
    // used = 1000 - 300 = 700 blocks; used / (used + available) = 700 / 950 = 73.68 %
    assert.equal(series['disk.used_percent{mount="/"}'], (700 / 950) * 100)
    assert.equal(series['disk.total_bytes{mount="/"}'], 4_096_000)
    assert.equal(series['disk.used_bytes{mount="/"}'], 2_867_200)
    assert.equal(series['disk.inodes_used_percent{mount="/"}'], 25)
    assert.deepEqual(doc?.partitions, [{device: '/dev/sda1', mount: '/', fstype: 'ext4', options: 'rw'}])
  })

  it('skips a mount whose statfs failed or hung', () => {
    const {series} = filesystem.toSeries([{device: 'nfs:/x', mount: '/mnt/nfs', fstype: 'nfs4', options: ''}], context('basic'))
    assert.deepEqual(series, {})
  })
})
