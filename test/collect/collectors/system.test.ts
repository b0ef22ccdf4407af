import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import system, {countUtmpUsers, socketsInUse, tcpEstablished} from '../../../src/collect/collectors/system'
import {defaults} from '../../../src/config/defaults'
import {context, FIXTURES, hostA} from './fixtures'

describe('system collector', () => {
  it('counts sockets in use and established TCP connections from the kernel\'s summaries', () => {
    // sockstat: TCP 3 + UDP 1; sockstat6: TCP6 1 + UDP6 0 (RAW and FRAG are not inet connections)
    assert.equal(socketsInUse(hostA('proc/net/sockstat'), hostA('proc/net/sockstat6')), 5)
    assert.equal(socketsInUse(undefined, undefined), undefined)
    // CurrEstab is the 9th column of the Tcp: lines
    assert.equal(tcpEstablished(hostA('proc/net/snmp')), 1)
    assert.equal(tcpEstablished('Ip: Forwarding\nIp: 1\n'), undefined)
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
    // TCP 3 + UDP 1 + TCP6 1 + UDP6 0 = 5 sockets; CurrEstab 1
    assert.equal(series['net.connections'], 5)
    assert.equal(series['net.tcp_established'], 1)
  })
})
