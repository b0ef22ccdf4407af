import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import diskio, {parseDiskstats} from '../../../src/collect/collectors/diskio'
import {defaults} from '../../../src/config/defaults'
import {context, hostA, hostALater} from './fixtures'

describe('diskio collector', () => {
  const exclude = new RegExp(defaults.monitoring.disks.exclude)

  it('keeps whole disks and leaves out partitions, loop and ram devices', () => {
    assert.deepEqual(parseDiskstats(hostA('proc/diskstats'), exclude).map((disk) => disk.device), ['nvme0n1', 'sda'])
  })

  it('computes I/O rates and busy percent (share of wall time with I/O in flight)', () => {
    const first = diskio.toSeries(parseDiskstats(hostA('proc/diskstats'), exclude), context('detailed'))
    assert.equal(first.series['disk.busy_percent{device="nvme0n1"}'], undefined)
    const {series} = diskio.toSeries(parseDiskstats(hostALater('proc/diskstats'), exclude), context('detailed', {previous: first.counters, elapsedS: 10}))
    // nvme0n1 over 10 s: +100 reads, +2000 sectors read, +200 writes, +4000 sectors written, +500 ms busy
    assert.equal(series['disk.reads_per_sec{device="nvme0n1"}'], 10)
    assert.equal(series['disk.writes_per_sec{device="nvme0n1"}'], 20)
    assert.equal(series['disk.read_bytes_per_sec{device="nvme0n1"}'], (2000 * 512) / 10)
    assert.equal(series['disk.write_bytes_per_sec{device="nvme0n1"}'], (4000 * 512) / 10)
    // 500 ms busy in 10 000 ms = 5 %
    assert.equal(series['disk.busy_percent{device="nvme0n1"}'], 5)
    assert.equal(series['disk.busy_percent{device="sda"}'], 0)
  })
})
