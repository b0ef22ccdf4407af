import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'

import {ROOT, runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'
import {seedTier, writeSample} from '../helpers/seed'
import {keysFor} from '../../src/store/keys'

const EVIL = '<img src=x onerror=alert(1)>'

describe('monitor report on seeded history', () => {
  let redis: Redis
  let url: string
  let prefix: string
  let cleanup: () => Promise<void>
  let config: string
  const now = Date.now()
  const report = (args: string[]) => runCli(['report', '--config', config, '--redis-url', url, ...args])

  before(async () => {
    ({redis, url, prefix, cleanup} = await testRedis())
    config = writeConfig(`redis:\n  prefix: ${prefix}\n`)
    // a day of detailed samples: cpu alternates 10 and 30 (avg 20), disk at 85 % (warning)
    await seedTier(redis, prefix, 'nas', 'detailed', 1440, 60, now, (index) => ({'cpu.percent': index % 2 ? 30 : 10, 'memory.percent': 50, 'disk.used_percent{mount="/srv/my media"}': 85, 'load.1': 1, 'net.rx_bytes{iface="eth0"}': 1000 * index}))
    await seedTier(redis, prefix, 'nas', 'basic', 1, 10, now, () => ({'cpu.percent': 12, 'memory.percent': 50, 'disk.used_percent{mount="/srv/my media"}': 85, 'net.rx_bytes{iface="eth0"}': 5e9}))
    const keys = keysFor(prefix)
    await writeSample(redis, keys, 'nas', 'extended', now, {'proc.count': 2}, {top_cpu: [{pid: 66, name: EVIL, cmdline: `sh -c "${EVIL}"`, cpu_percent: 50, memory_percent: 1}], top_memory: [], services: {failed: [`${EVIL}.service`]}, host: {os: 'Debian 12', kernel: '6.1', arch: 'x64', cpu_model: 'Ryzen', cpu_count: 8, memory_bytes: 34359738368}})
    await redis.hset(keys.meta('nas'), 'facts', JSON.stringify({os: 'Debian 12', kernel: '6.1', arch: 'x64', cpu_model: 'Ryzen', cpu_count: 8, memory_bytes: 34359738368}))
    await seedTier(redis, prefix, 'pi', 'basic', 1, 10, now, () => ({'cpu.percent': 5, 'memory.percent': 96}))
  })
  after(() => cleanup())

  it('html: self-contained, escaped, with an SVG chart per core series and its thresholds', async () => {
    const result = await report(['--host', 'nas', '--format', 'html'])
    assert.equal(result.code, 0, result.stderr)
    const html = result.stdout
    assert.ok(html.startsWith('<!doctype html>'))
    assert.ok(!html.includes(EVIL), 'host values are escaped')
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'))
    assert.equal((html.match(/<svg /g) ?? []).length, 4, 'one chart per core series: cpu, memory, disk, load')
    // The disk chart draws its three threshold levels as dashed lines, each named.
    const diskChart = html.match(/<svg [^>]*aria-label="disk\.used_percent[^"]*"[\s\S]*?<\/svg>/)?.[0] ?? ''
    assert.equal((diskChart.match(/stroke-dasharray="4 3"/g) ?? []).length, 3)
    for (const level of ['warning 80', 'error 90', 'critical 95']) assert.match(diskChart, new RegExp(`>${level}</text>`))
    assert.doesNotMatch(html, /<script|<link|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'nothing from the network, no script')
    assert.match(html, /<td><code>disk\.used_percent\{mount=&quot;\/srv\/my media&quot;\}<\/code><\/td><td class="n">85\.0 %<\/td><td><span class="badge"[^>]*>warning<\/span>/)
  })

  it('markdown: tables with min, avg, p95 and max over the period, escaped', async () => {
    const {stdout} = await report(['--host', 'nas', '--format', 'markdown'])
    // cpu over the day: 720 × 10 and 720 × 30 → avg 20, p95 30; now 12 from the basic tier
    assert.match(stdout, /^\| cpu\.percent \| 12\.0 % \| ok \| 10\.0 % \| 20\.0 % \| 30\.0 % \| 30\.0 % \|$/m)
    assert.match(stdout, /^\| disk\.used\\_percent\{mount="\/srv\/my media"\} \| 85\.0 % \| warning \|/m)
    assert.ok(!stdout.includes(EVIL))
    assert.match(stdout, /- &lt;img src=x onerror=alert\(1\)&gt;\.service/)
  })

  it('prometheus: parsed by a real parser (and promtool when installed), with a host label', async () => {
    const {stdout} = await report(['--all-hosts', '--format', 'prometheus'])
    const families = parsePrometheusTextFormat(stdout) as {name: string; type: string; metrics: {labels: Record<string, string>; value: string}[]}[]
    const byName = new Map(families.map((family) => [family.name, family]))
    assert.deepEqual(byName.get('monitor_memory_percent')?.metrics.map((metric) => [metric.labels.host, metric.value]).sort(), [['nas', '50'], ['pi', '96']])
    assert.deepEqual(byName.get('monitor_disk_used_percent')?.metrics[0]?.labels, {host: 'nas', mount: '/srv/my media'})
    assert.equal(byName.get('monitor_net_rx_bytes_total')?.type, 'COUNTER')
    if (spawnSync('promtool', ['--version']).status === 0) {
      execFileSync('promtool', ['check', 'metrics'], {input: stdout})
    }
  })

  it('json: every host, with fleet status, alerts, processes and services', async () => {
    const {stdout} = await report(['--all-hosts', '--json'])
    const data = JSON.parse(stdout)
    assert.deepEqual(data.hosts.map((host: {host: string; status: string}) => [host.host, host.status]), [['nas', 'warning'], ['pi', 'critical']])
    const nas = data.hosts[0]
    assert.equal(nas.top_cpu[0].name, EVIL, 'JSON keeps the raw value')
    assert.deepEqual(nas.failed_services, [`${EVIL}.service`])
    assert.match(data.generated_at, /^\d{4}-\d\d-\d\dT/, 'snake_case keys and ISO times, as every --json')
    assert.equal(nas.facts.cpu_model, 'Ryzen')
    const cpu = nas.core.find((core: {series: string}) => core.series === 'cpu.percent')
    assert.deepEqual(cpu.stats, {min: 10, avg: 20, p95: 30, max: 30, count: 1440})
    assert.ok(cpu.points.length <= 240)
  })

  it('table: plain text when piped', async () => {
    const {stdout, code} = await report(['--all-hosts'])
    assert.equal(code, 0)
    assert.ok(!stdout.includes('\u001b['), 'no colour codes')
    assert.match(stdout, /│ host +│ status +│ firing │/)
  })

  it('--out writes the file', async () => {
    const file = `${writeConfig('', 'x')}.html`
    const result = await report(['--host', 'nas', '--format', 'html', '--out', file])
    assert.equal(result.code, 0)
    assert.equal(result.stdout, '')
    assert.match((await import('node:fs')).readFileSync(file, 'utf8'), /^<!doctype html>/)
  })

  it('--out into a directory that does not exist says so, exit 2', async () => {
    const result = await report(['--host', 'nas', '--out', '/nonexistent/monitor/report.txt'])
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'monitor: --out: no directory /nonexistent/monitor (create it first)\n')
  })

  it('table: coloured severities on a terminal, never in a file written from one (script(1) gives it a pty)', async () => {
    const file = `${writeConfig('', 'x')}.txt`
    const command = [process.execPath, join(ROOT, 'bin', 'run.js'), 'report', '--config', config, '--redis-url', url, '--all-hosts'].map((part) => `'${part}'`).join(' ')
    const terminal = spawnSync('script', ['-qec', command, '/dev/null'], {encoding: 'utf8', env: {...process.env, NO_COLOR: undefined}})
    // eslint-disable-next-line no-control-regex -- the escape codes are what this test looks for
    assert.match(terminal.stdout, /\u001b\[(?:1;)?3[123]m(?:ok|warning|critical|error)\u001b\[0m/, terminal.stderr)
    spawnSync('script', ['-qec', `${command} --out '${file}'`, '/dev/null'], {encoding: 'utf8', env: {...process.env, NO_COLOR: undefined}})
    assert.ok(!readFileSync(file, 'utf8').includes('\u001b['), 'no colour codes in the file')
  })
})
