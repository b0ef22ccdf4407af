import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import processes, {parseProcStat, topProcesses} from '../../../src/collect/collectors/processes'
import {defaults} from '../../../src/config/defaults'
import {context, FIXTURES, hostA} from './fixtures'

describe('processes collector', () => {
  it('reads a name holding spaces and parentheses from /proc/<pid>/stat', () => {
    const parsed = parseProcStat(4242, hostA('proc/4242/stat'))
    assert.deepEqual(parsed, {pid: 4242, name: '<b>evil) (x</b>', state: 'R', cpuTicks: 6000, startTicks: 90000, rssPages: 100000})
  })

  it('ranks by CPU over the interval and by memory, and counts states', async () => {
    const raw = (await processes.read({procRoot: join(FIXTURES, 'host-a', 'proc'), sysRoot: '', config: defaults, tiers: ['extended']}))!
    raw.pageBytes = 4096
    const first = processes.toSeries(raw, context('extended'))
    assert.deepEqual(topProcesses(first.doc, 'cpu'), [], 'no CPU share without a previous reading')

    // 10 s later pid 4242 used 1000 more ticks (10 s of CPU: 100 %), pid 1 used 100 (10 %)
    const later = structuredClone(raw)
    for (const process of later.processes) process.cpuTicks += process.pid === 4242 ? 1000 : process.pid === 1 ? 100 : 0
    const {series, doc} = processes.toSeries(later, context('extended', {previous: first.counters, elapsedS: 10}))
    const topCpu = topProcesses(doc, 'cpu')
    assert.deepEqual(doc?.top_cpu, [4242, 1, 777], 'rankings are pids into one process table')
    assert.equal((doc?.processes as unknown[]).length, 3, 'a process in both rankings is stored once')
    assert.deepEqual(topCpu.map((row) => [row.pid, row.cpu_percent]), [[4242, 100], [1, 10], [777, 0]])
    assert.equal(topCpu[0]?.cmdline, 'python3 -c <script>alert(1)</script>')
    // rss 100000 pages x 4096 B of 16318412 kB = 2.45 %
    assert.equal(topCpu[0]?.memory_percent, 2.45)
    assert.equal(series['proc.count'], 3)
    assert.equal(series['proc.count{state="zombie"}'], 1)
    assert.equal(series['proc.count{state="running"}'], 1)
  })

  it('does not carry CPU time over to a new process that reused a pid', () => {
    const old = {processes: [{pid: 9, name: 'a', state: 'S', cpuTicks: 5000, startTicks: 100, rssPages: 1}], pageBytes: 4096}
    const first = processes.toSeries(old, context('extended'))
    const reused = {processes: [{pid: 9, name: 'b', state: 'S', cpuTicks: 6000, startTicks: 999, rssPages: 1}], pageBytes: 4096}
    const {doc} = processes.toSeries(reused, context('extended', {previous: first.counters, elapsedS: 10}))
    assert.deepEqual(topProcesses(doc, 'cpu'), [])
  })

  it('keeps snapshots compact: names and command lines are cut', () => {
    const long = {processes: [{pid: 5, name: 'x'.repeat(4096), state: 'S', cpuTicks: 1, startTicks: 1, rssPages: 1, cmdline: 'y'.repeat(100)}], pageBytes: 4096}
    const row = topProcesses(processes.toSeries(long, context('extended')).doc, 'memory')[0]
    assert.equal(row?.name.length, 64)
    assert.equal(row?.cmdline.length, 100)
  })
})
