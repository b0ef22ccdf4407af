import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import system, {countSockets, countUtmpUsers} from '../../../src/collect/collectors/system'
import {defaults} from '../../../src/config/defaults'
import {context, FIXTURES, hostA} from './fixtures'

describe('system collector', () => {
  it('counts sockets and established TCP connections', () => {
    assert.deepEqual(countSockets(hostA('proc/net/tcp')), {sockets: 3, established: 1})
  })

  it('counts USER_PROCESS records in utmp', () => {
    const utmp = Buffer.alloc(384 * 3)
    utmp.writeInt32LE(7, 0)
    utmp.writeInt32LE(8, 384)
    utmp.writeInt32LE(7, 768)
    assert.equal(countUtmpUsers(utmp), 2)
  })

  it('reads load, uptime, processes, open files and connections from a fixture tree', async () => {
    const raw = await system.read({procRoot: join(FIXTURES, 'host-a', 'proc'), sysRoot: join(FIXTURES, 'host-a', 'sys'), config: defaults, tiers: ['detailed']})
    const {series} = system.toSeries(raw!, context('detailed'))
    assert.equal(series['load.1'], 0.52)
    assert.equal(series['load.15'], 0.59)
    assert.equal(series['system.uptime_seconds'], 86400.5)
    assert.equal(series['system.processes'], 3)
    assert.equal(series['system.open_files'], 3456)
    // tcp 3 + tcp6 1 + udp 1 (no udp6 file) = 5 sockets; 1 established
    assert.equal(series['net.connections'], 5)
    assert.equal(series['net.tcp_established'], 1)
  })
})
