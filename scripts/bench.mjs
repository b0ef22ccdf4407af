#!/usr/bin/env node
// Whole-process timings of monitor's commands, as cron and systemd run them:
// median wall and CPU (user + system) time over RUNS runs each, against a
// redis-server started here on a free port. NODE_EXTRA_CA_CERTS is unset, as
// under cron and systemd (it adds ~37 ms to every Node start here).
// Runs from / as a systemd unit does. Exits 1 when a median is over its
// budget, 2 when a run fails (a failed run is not a measurement).
import {spawn, spawnSync} from 'node:child_process'
import {createRequire} from 'node:module'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
/** BENCH_ONLY=watch (or a command name) runs just that part. */
const ONLY = process.env.BENCH_ONLY
const root = new URL('..', import.meta.url).pathname
const bin = join(root, 'bin', 'run.js')

const freePort = () => new Promise((resolve) => {
  const server = createServer()
  server.listen(0, '127.0.0.1', () => {
    const {port} = server.address()
    server.close(() => resolve(port))
  })
})

const dir = mkdtempSync(join(tmpdir(), 'monitor-bench-'))
const port = await freePort()
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {stdio: 'ignore'})
await new Promise((resolve) => setTimeout(resolve, 300))
const redisUrl = `redis://127.0.0.1:${port}/0`

const env = {...process.env, MONITOR_REDIS_URL: redisUrl, MONITOR_HOST: 'bench', NO_COLOR: '1'}
delete env.NODE_EXTRA_CA_CERTS
delete env.MONITOR_CONFIG

/** One run under bash's `time` keyword: the command's own real, user and sys seconds. */
function timeOnce(args, extraEnv = {}) {
  const stderrFile = join(dir, 'stderr')
  const script = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>"$STDERR_FILE"; } 2>&1; echo "exit $?"'
  const result = spawnSync('bash', ['-c', script, 'bench', process.execPath, bin, ...args], {env: {...env, ...extraEnv, STDERR_FILE: stderrFile}, encoding: 'utf8', cwd: '/'})
  const lines = result.stdout.trim().split('\n')
  const code = Number(lines.at(-1).split(' ')[1])
  // A run that failed is not a measurement: stop rather than print a fast, wrong figure.
  if (code !== 0) {
    console.error(`bench: monitor ${args.join(' ')} exited ${code}: ${readFileSync(stderrFile, 'utf8').trim()}`)
    redis.kill()
    process.exit(2)
  }
  const [real, user, sys] = lines.at(-2).split(' ').map(Number)
  return {wallMs: real * 1000, cpuMs: (user + sys) * 1000}
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const require = createRequire(import.meta.url)
const IORedis = require('ioredis')

/**
 * A full default retention of synthetic history for host `analyzed`: 1 h of
 * basic at 10 s, 1 day of detailed at 60 s, 1 week of extended at 5 min, each
 * sample with 40 series (random walks, some following others).
 */
async function seedHistory(host, namesByTier) {
  const redis = new IORedis(redisUrl)
  const now = Date.now()
  const synthetic = [
    'cpu.percent', 'memory.percent', 'memory.available_bytes', 'load.1', 'load.5', 'swap.percent',
    ...['/', '/home', '/srv', '/var'].flatMap((mount) => [`disk.used_percent{mount="${mount}"}`, `disk.used_bytes{mount="${mount}"}`]),
    ...['sda', 'nvme0n1'].flatMap((device) => ['busy_percent', 'reads_per_sec', 'writes_per_sec', 'read_bytes_per_sec', 'write_bytes_per_sec'].map((metric) => `disk.${metric}{device="${device}"}`)),
    ...['eth0', 'wg0'].flatMap((iface) => ['rx_bytes_per_sec', 'tx_bytes_per_sec', 'rx_packets_per_sec', 'tx_packets_per_sec', 'utilization_percent'].map((metric) => `net.${metric}{iface="${iface}"}`)),
    ...[0, 1, 2, 3].map((cpu) => `cpu.percent{cpu="${cpu}"}`),
    'cpu.context_switches_per_sec', 'system.procs_running',
  ].slice(0, 40)
  let seed = 1
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  for (const [tier, points, stepS] of [['basic', 360, 10], ['detailed', 1440, 60], ['extended', 2016, 300]]) {
    const names = namesByTier?.[tier] ?? synthetic
    const key = `monitor:{${host}}:samples:${tier}`
    await redis.del(key)
    const walk = names.map(() => 50)
    let pipeline = redis.pipeline()
    for (let index = 0; index < points; index++) {
      const fields = []
      names.forEach((name, column) => {
        walk[column] = Math.min(100, Math.max(0, (walk[column] ?? 50) + (random() - 0.5) * 4))
        fields.push(name, String(Math.round(walk[column] * 1000) / 1000))
      })
      pipeline.xadd(key, `${now - (points - 1 - index) * stepS * 1000}-0`, ...fields)
      if (index % 500 === 499) {
        await pipeline.exec()
        pipeline = redis.pipeline()
      }
    }
    await pipeline.exec()
  }
  await redis.quit()
}

/** The pure analysis step alone (no process start, no Redis): median of RUNS runs. */
async function timeAnalysisStep(host) {
  const {keysFor} = require('../lib/store/keys.js')
  const {readSamples} = require('../lib/store/samples.js')
  const {analyzeHistory} = require('../lib/analyze/analyze.js')
  const {defaults} = require('../lib/config/defaults.js')
  const redis = new IORedis(redisUrl)
  const keys = keysFor('monitor')
  const now = Date.now()
  const training = await readSamples(redis, keys, host, 'detailed', now - 86_400_000)
  const window = await readSamples(redis, keys, host, 'basic', now - 3_600_000)
  await redis.quit()
  const times = []
  let result
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint()
    result = analyzeHistory(host, defaults, now, {training, window, windowStepS: 10})
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  return {ms: median(times), series: new Set([...training, ...window].flatMap((sample) => Object.keys(sample.series))).size, correlations: result.correlations.length}
}

const cases = [
  {name: 'collect --tier basic', args: ['collect', '--tier', 'basic', '--quiet'], wallMs: 150, cpuMs: 150},
  {name: 'collect --tier detailed', args: ['collect', '--tier', 'detailed', '--quiet'], wallMs: 300},
  {name: 'collect --tier extended', args: ['collect', '--tier', 'extended', '--quiet'], wallMs: 800},
  {name: 'run (only basic due)', args: ['run', '--quiet'], wallMs: 250, beforeEach: basicDueOnly},
  {name: 'check', args: ['check', '--quiet'], wallMs: 250},
  {name: 'alert (nothing to send)', args: ['alert', '--quiet'], wallMs: 250},
  {name: 'analyze (full history, 40 series)', args: ['analyze', '--quiet', '--host', 'analyzed'], wallMs: 500, setup: () => seedHistory('analyzed')},
  {name: 'report --format html --since 24h', args: ['report', '--host', 'analyzed', '--format', 'html', '--since', '24h'], wallMs: 1000},
  {name: 'hosts (50 hosts)', args: ['hosts', '--json'], wallMs: 500, setup: () => seedFleetOnce(50)},
  {name: 'fleet report --all-hosts --json 24h', args: ['report', '--all-hosts', '--format', 'json', '--since', '24h'], wallMs: 3000, setup: () => seedFleetOnce(50)},
]

/**
 * 50 hosts, each with a day of detailed samples (40 series at 60 s) and its
 * newest basic sample, as the fleet figures need.
 */
let fleetSeeded
const seedFleetOnce = (count) => (fleetSeeded ??= seedFleet(count))

async function seedFleet(count) {
  const redis = new IORedis(redisUrl)
  const now = Date.now()
  const names = ['cpu.percent', 'memory.percent', 'load.1', 'swap.percent', ...Array.from({length: 36}, (_v, index) => `disk.used_percent{mount="/m${index}"}`)]
  for (let host = 0; host < count; host++) {
    const name = `fleet${String(host).padStart(2, '0')}`
    let pipeline = redis.pipeline()
    for (let index = 0; index < 1440; index++) {
      const fields = names.flatMap((series) => [series, String(Math.round(Math.random() * 80000) / 1000)])
      pipeline.xadd(`monitor:{${name}}:samples:detailed`, `${now - (1439 - index) * 60_000}-0`, ...fields)
      if (index % 500 === 499) {
        await pipeline.exec()
        pipeline = redis.pipeline()
      }
    }
    pipeline.xadd(`monitor:{${name}}:samples:basic`, `${now}-0`, ...names.flatMap((series) => [series, '42']))
    pipeline.hset(`monitor:{${name}}:meta`, 'last:basic', String(now), 'last:detailed', String(now))
    pipeline.zadd('monitor:hosts', now, name)
    await pipeline.exec()
  }
  await redis.quit()
}

/** Makes the basic tier (and nothing else) due for host `bench`, as a 10-second timer finds it. */
async function basicDueOnly() {
  const redis = new IORedis(redisUrl)
  const now = Date.now()
  await redis.hset('monitor:{bench}:meta', 'last:basic', String(now - 10_000), 'last:detailed', String(now), 'last:extended', String(now), 'last:analyze', String(now))
  await redis.quit()
}

console.log(`node ${process.version}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? `unset for the runs (was ${process.env.NODE_EXTRA_CA_CERTS})` : 'not set'}, ${RUNS} runs each, Redis ${redisUrl}`)
console.log('command'.padEnd(32) + 'wall ms (median)'.padStart(18) + 'cpu ms (median)'.padStart(18) + '   budget')
let over = 0
for (const bench of cases.filter((candidate) => !ONLY || candidate.name.startsWith(ONLY))) {
  if (bench.setup) await bench.setup()
  if (bench.beforeEach) await bench.beforeEach()
  timeOnce(bench.args, bench.env) // warm the page cache and the stored counters
  const runs = []
  for (let run = 0; run < RUNS; run++) {
    if (bench.beforeEach) await bench.beforeEach()
    runs.push(timeOnce(bench.args, bench.env))
  }
  const wall = median(runs.map((run) => run.wallMs))
  const cpu = median(runs.map((run) => run.cpuMs))
  const misses = []
  if (bench.wallMs && wall > bench.wallMs) misses.push(`wall > ${bench.wallMs}`)
  if (bench.cpuMs && cpu > bench.cpuMs) misses.push(`cpu > ${bench.cpuMs}`)
  over += misses.length
  const budget = [bench.wallMs && `wall ≤ ${bench.wallMs}`, bench.cpuMs && `cpu ≤ ${bench.cpuMs}`].filter(Boolean).join(', ')
  const verdict = budget ? `   ${budget}${misses.length ? `  OVER (${misses.join(', ')})` : '  ok'}` : '   (for comparison)'
  console.log(bench.name.padEnd(32) + wall.toFixed(0).padStart(18) + cpu.toFixed(0).padStart(18) + verdict)
}

const step = ONLY ? {ms: 0, series: 0, correlations: 0} : await timeAnalysisStep('analyzed')
const stepOver = step.ms > 100
over += stepOver ? 1 : 0
if (!ONLY) console.log('analysis step alone (in process)'.padEnd(32) + step.ms.toFixed(0).padStart(18) + '-'.padStart(18) + `   ≤ 100 ms${stepOver ? '  OVER' : '  ok'} (${step.series} series, ${step.correlations} correlations found)`)

const watch = !ONLY || ONLY === 'watch' ? await watchCpuPerCycle() : undefined
const watchOver = (watch?.cpuMsPerCycle ?? 0) > 10
over += watchOver ? 1 : 0
if (watch) console.log(`run --watch, CPU per cycle`.padEnd(32) + '-'.padStart(18) + (watch?.cpuMsPerCycle ?? 0).toFixed(1).padStart(18) + `   ≤ 10 ms${watchOver ? '  OVER' : '  ok'} (${watch?.cycles} cycles at a 1 s basic interval; this host's series, full history)`)

redis.kill()
rmSync(dir, {recursive: true, force: true})
process.exit(over > 0 ? 1 : 0)

/**
 * Steady-state CPU of `run --watch`: utime + stime from /proc/<pid>/stat
 * across 60 cycles, after 5 to warm up, on a host whose own series have a
 * full retention of (synthetic) history, so each analysis reads a real day. Intervals are scaled down 10×
 * (1 s / 6 s / 30 s) so that 60 cycles take a minute; each cycle does the
 * same work as at 10 s / 60 s / 5 min.
 */
async function watchCpuPerCycle() {
  const {writeFileSync} = await import('node:fs')
  // This host's own series (what collect produces here), each with a full retention of history.
  const collected = spawnSync(process.execPath, [bin, 'collect', '--tier', 'all', '--json', '--host', 'watched'], {env, encoding: 'utf8'})
  const namesByTier = Object.fromEntries(collected.stdout.trim().split('\n').map((line) => JSON.parse(line)).map((sample) => [sample.tier, Object.keys(sample.series)]))
  await seedHistory('watched', namesByTier)
  const config = join(dir, 'watch.yaml')
  writeFileSync(config, 'monitoring:\n  intervals: {basic: 1, detailed: 6, extended: 30}\n  retention: {basic: 3600, detailed: 86400, extended: 604800}\n')
  const child = spawn(process.execPath, [bin, 'run', '--watch', '--config', config, '--host', 'watched'], {env, cwd: '/', stdio: ['ignore', 'pipe', 'ignore']})
  const ticks = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14 and 15)
  }
  let cycles = 0
  child.stdout.on('data', (chunk) => (cycles += chunk.toString().split('\n').length - 1))
  const waitFor = (count) => new Promise((resolve) => {
    const poll = setInterval(() => {
      if (cycles >= count) {
        clearInterval(poll)
        resolve()
      }
    }, 20)
  })
  await waitFor(5)
  const [startTicks, startCycles] = [ticks(), cycles]
  await waitFor(startCycles + 60)
  const [endTicks, endCycles] = [ticks(), cycles]
  child.kill('SIGTERM')
  await new Promise((resolve) => child.on('exit', resolve))
  const ticksPerSecond = 100
  return {cpuMsPerCycle: ((endTicks - startTicks) * 1000) / ticksPerSecond / (endCycles - startCycles), cycles: endCycles - startCycles}
}
