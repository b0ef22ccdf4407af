import assert from 'node:assert/strict'
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import IORedis from 'ioredis'

import {runCli, writeConfig} from '../helpers/cli'
import {closedPort} from '../helpers/receivers'

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await wait(100)
  }
}
const cli = (args: string[]) => {
  try {
    return execFileSync('redis-cli', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
  } catch {
    return ''
  }
}

describe('a real 3-master Redis Cluster', () => {
  const nodes: ChildProcess[] = []
  const ports: number[] = []
  let config: string

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-cluster-'))
    for (let index = 0; index < 3; index++) {
      const port = await closedPort()
      ports.push(port)
      nodes.push(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', join(dir, `${port}.log`)], {stdio: 'ignore'}))
    }
    for (const port of ports) await until(() => cli(['-p', String(port), 'ping']).startsWith('PONG'), `node ${port}`)
    execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], {stdio: 'ignore'})
    for (const port of ports) await until(() => cli(['-p', String(port), 'cluster', 'info']).includes('cluster_state:ok'), `cluster state on ${port}`)
    config = writeConfig(`redis:\n  cluster: [${ports.map((port) => `"redis://127.0.0.1:${port}"`).join(', ')}]\nthresholds:\n  memory: {warning: 0.1, error: 99, critical: 100}\nalerts:\n  throttling: {grouping_window: 0}\n`)
  })
  after(() => {
    for (const node of nodes) node.kill('SIGKILL')
  })

  it('three hosts run the whole pipeline; hosts and report --all-hosts see all three; alerts stay apart', async () => {
    for (const host of ['h1', 'h2', 'h3']) {
      const result = await runCli(['run', '--json', '--config', config, '--host', host])
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(JSON.parse(result.stdout).collected, ['basic', 'detailed', 'extended'])
    }
    const hosts = JSON.parse((await runCli(['hosts', '--json', '--config', config])).stdout)
    assert.deepEqual(hosts.map((host: {host: string; status: string}) => [host.host, host.status]).sort(), [['h1', 'up'], ['h2', 'up'], ['h3', 'up']])
    const report = JSON.parse((await runCli(['report', '--all-hosts', '--json', '--config', config])).stdout)
    assert.deepEqual(report.hosts.map((host: {host: string}) => host.host).sort(), ['h1', 'h2', 'h3'])
    const {alerts} = JSON.parse((await runCli(['alerts', 'list', '--all-hosts', '--json', '--config', config])).stdout)
    assert.deepEqual(alerts.filter((alert: {rule: string}) => alert.rule === 'memory').map((alert: {key: string}) => alert.key).sort(), ['h1/memory/memory.percent', 'h2/memory/memory.percent', 'h3/memory/memory.percent'])
    const prometheus = (await runCli(['report', '--all-hosts', '--format', 'prometheus', '--config', config])).stdout
    assert.match(prometheus, /monitor_memory_percent\{host="h2"\} \d/)
  })

  it("keeps each host's keys in one slot, spread over the nodes", async () => {
    const slot = (key: string) => cli(['-p', String(ports[0]), 'cluster', 'keyslot', key]).trim()
    const slots = ['samples:basic', 'counters', 'meta', 'alerts', 'alerts:log', 'alerts:queue'].map((suffix) => slot(`monitor:{h1}:${suffix}`))
    assert.equal(new Set(slots).size, 1)
    assert.notEqual(slot('monitor:{h1}:meta'), slot('monitor:{h2}:meta'))
  })

  it('a silent host is reported once, whichever hosts check', async () => {
    const client = new IORedis.Cluster(ports.map((port) => ({host: '127.0.0.1', port})))
    await client.zadd('monitor:hosts', Date.now() - 3_600_000, 'h4')
    client.disconnect()
    const first = JSON.parse((await runCli(['run', '--json', '--config', config, '--host', 'h1'])).stdout)
    assert.deepEqual(first.events.filter((event: {rule: string}) => event.rule === 'host_silent').map((event: {key: string; kind: string}) => [event.key, event.kind]), [['h4/host_silent/h4', 'firing']])
    const second = JSON.parse((await runCli(['run', '--json', '--config', config, '--host', 'h2'])).stdout)
    assert.deepEqual(second.events.filter((event: {rule: string}) => event.rule === 'host_silent'), [])
  })
})

describe('a real Sentinel with one primary', () => {
  const processes: ChildProcess[] = []
  after(() => {
    for (const child of processes) child.kill('SIGKILL')
  })

  it('runs the pipeline through the sentinel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-sentinel-'))
    const primary = await closedPort()
    const sentinel = await closedPort()
    processes.push(spawn('redis-server', ['--port', String(primary), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {stdio: 'ignore'}))
    await until(() => cli(['-p', String(primary), 'ping']).startsWith('PONG'), 'primary')
    const sentinelConf = join(dir, 'sentinel.conf')
    writeFileSync(sentinelConf, `port ${sentinel}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor mymaster 127.0.0.1 ${primary} 1\n`)
    processes.push(spawn('redis-sentinel', [sentinelConf], {stdio: 'ignore'}))
    await until(() => cli(['-p', String(sentinel), 'sentinel', 'get-master-addr-by-name', 'mymaster']).includes(String(primary)), 'sentinel')
    const config = writeConfig(`redis:\n  sentinels: ["redis://127.0.0.1:${sentinel}"]\n  name: mymaster\n`)
    const result = await runCli(['run', '--json', '--config', config, '--host', 's1'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(cli(['-p', String(primary), 'xlen', 'monitor:{s1}:samples:basic']).trim(), '1', 'the data is on the primary the sentinel named')
    const wrongName = await runCli(['check', '--config', writeConfig(`redis:\n  sentinels: ["redis://127.0.0.1:${sentinel}"]\n  name: nosuchprimary\n  connect_timeout: 1s\n`), '--host', 's1'])
    assert.equal(wrongName.code, 3)
    assert.match(wrongName.stderr, /cannot reach Redis at sentinels redis:\/\/127\.0\.0\.1:\d+ \(primary nosuchprimary\)/)
  })
})
