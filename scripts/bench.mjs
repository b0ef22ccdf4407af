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
/** Issue 7: at most 5 MB a host at full default retention. */
const MEMORY_BUDGET = 5_000_000
/**
 * BENCH_ONLY=watch, =memory (or the start of a command's name) runs just that
 * part; BENCH_DEBUG=1 prints the watch process's CPU per thread, and
 * BENCH_PROF=DIR writes its CPU profile there.
 */
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
const {queueSample} = require('../lib/store/samples.js')
const {keysFor} = require('../lib/store/keys.js')
const keys = keysFor('monitor')

/**
 * A full default retention of synthetic history for host `analyzed`: 1 h of
 * basic at 10 s, 1 day of detailed at 60 s, 1 week of extended at 5 min, each
 * sample with 40 series (random walks, some following others).
 */
async function seedHistory(host, namesByTier, timeScale = 1) {
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
  const newest = {}
  for (const [tier, points, stepS] of [['basic', 360, 10], ['detailed', 1440, 60], ['extended', 2016, 300]]) {
    const names = namesByTier?.[tier] ?? synthetic
    await redis.del(keys.samples(host, tier))
    const walk = names.map(() => 50)
    let pipeline = redis.pipeline()
    for (let index = 0; index < points; index++) {
      const series = {}
      names.forEach((name, column) => {
        walk[column] = Math.min(100, Math.max(0, (walk[column] ?? 50) + (random() - 0.5) * 4))
        series[name] = Math.round(walk[column] * 1000) / 1000
      })
      const atMs = now - Math.round(((points - 1 - index) * stepS * 1000) / timeScale)
      queueSample(pipeline, keys, host, {tier, atMs, series, doc: {}}, {id: `${atMs}-0`})
      newest[`last:${tier}`] = String(atMs)
      if (index % 500 === 499) {
        await pipeline.exec()
        pipeline = redis.pipeline()
      }
    }
    await pipeline.exec()
  }
  // As collect does: report --host refuses a host that is not in the hosts set; analyze keeps its daily profiles while last:extended stays.
  await redis.zadd(keys.hosts, now, host)
  await redis.hset(keys.meta(host), newest)
  await redis.quit()
}

/** The pure analysis step alone (no process start, no Redis), on columns read as `analyze` reads them: median of RUNS runs. */
async function timeAnalysisStep(host) {
  const {keysFor} = require('../lib/store/keys.js')
  const {readColumns} = require('../lib/store/samples.js')
  const {isCounter} = require('../lib/collect/series.js')
  const {analyzeHistory, columnsToSeriesData, sinceTime} = require('../lib/analyze/analyze.js')
  const {defaults} = require('../lib/config/defaults.js')
  const redis = new IORedis(redisUrl)
  const keys = keysFor('monitor')
  const now = Date.now()
  const log = {debug() {}, info() {}, warn() {}, error() {}}
  const read = async (tier, periodMs) => columnsToSeriesData(await readColumns(redis, keys, host, tier, now - periodMs, {keep: (series) => !isCounter(series), log}))
  const [training, window, daily] = await Promise.all([read('detailed', 86_400_000), read('basic', 3_600_000), read('extended', 7 * 86_400_000)])
  await redis.quit()
  const history = {training, window, long: sinceTime(training, now - 6 * 3_600_000), daily}
  const times = []
  let result
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint()
    result = analyzeHistory(host, defaults, now, history)
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  return {ms: median(times), series: new Set([...training, ...window].map((series) => series.name)).size, correlations: result.correlations.length}
}

const cases = [
  {name: 'collect --tier basic', args: ['collect', '--tier', 'basic', '--quiet'], wallMs: 150, cpuMs: 150},
  {name: 'collect --tier detailed', args: ['collect', '--tier', 'detailed', '--quiet'], wallMs: 300},
  {name: 'collect --tier extended', args: ['collect', '--tier', 'extended', '--quiet'], wallMs: 800},
  {name: 'run (only basic due)', args: ['run', '--quiet'], wallMs: 250, beforeEach: basicDueOnly},
  {name: 'check', args: ['check', '--quiet'], wallMs: 250},
  {name: 'alert (nothing to send)', args: ['alert', '--quiet'], wallMs: 250},
  {name: 'analyze (full history, 40 series)', args: ['analyze', '--quiet', '--host', 'analyzed'], wallMs: 500, setup: () => seedHistory('analyzed')},
  {name: 'analyze (200 series)', args: ['analyze', '--quiet', '--host', 'analyzed200'], wallMs: 500, setup: () => seedWideOnce()},
  // Once per extended interval (5 min) the daily profiles are made again from a week of the extended tier.
  {name: 'analyze (200 series, new extended sample)', args: ['analyze', '--quiet', '--host', 'analyzed200'], wallMs: 800, setup: () => seedWideOnce(), beforeEach: () => forgetProfiles('analyzed200')},
  {name: 'report --format html --since 24h', args: ['report', '--host', 'analyzed', '--format', 'html', '--since', '24h'], wallMs: 1000},
  {name: 'hosts (50 hosts)', args: ['hosts', '--json'], wallMs: 500, setup: () => seedFleetOnce(50)},
  {name: 'fleet report --all-hosts --json 24h', args: ['report', '--all-hosts', '--format', 'json', '--since', '24h'], wallMs: 3000, setup: () => seedFleetOnce(50)},
]

/**
 * Host `analyzed200`: the same full retention with 200 series in every tier.
 * Correlation pairs at most analysis.correlation.max_series of them, so the
 * analysis should stay well within `analyze`'s 500 ms.
 */
const WIDE_NAMES = ['cpu.percent', 'memory.percent', 'load.1', 'swap.percent', ...Array.from({length: 196}, (_v, index) => `disk.used_percent{mount="/m${index}"}`)]
let wideSeeded
const forgetProfiles = async (host) => {
  const redis = new IORedis(redisUrl)
  await redis.del(keys.analysisProfile(host))
  await redis.quit()
}
const seedWideOnce = () => (wideSeeded ??= seedHistory('analyzed200', {basic: WIDE_NAMES, detailed: WIDE_NAMES, extended: WIDE_NAMES}))

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
      const series = Object.fromEntries(names.map((series) => [series, Math.round(Math.random() * 80000) / 1000]))
      const atMs = now - (1439 - index) * 60_000
      queueSample(pipeline, keys, name, {tier: 'detailed', atMs, series, doc: {}}, {id: `${atMs}-0`})
      if (index % 500 === 499) {
        await pipeline.exec()
        pipeline = redis.pipeline()
      }
    }
    queueSample(pipeline, keys, name, {tier: 'basic', atMs: now, series: Object.fromEntries(names.map((series) => [series, 42])), doc: {}}, {id: `${now}-0`})
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
const wideStep = ONLY ? undefined : await seedWideOnce().then(() => timeAnalysisStep('analyzed200'))
const wideStepOver = (wideStep?.ms ?? 0) > 250
over += wideStepOver ? 1 : 0
if (wideStep) console.log('analysis step, 200 series'.padEnd(32) + wideStep.ms.toFixed(0).padStart(18) + '-'.padStart(18) + `   ≤ 250 ms${wideStepOver ? '  OVER' : '  ok'} (${wideStep.series} series, ${wideStep.correlations} correlations found)`)

const watch = !ONLY || ONLY === 'watch' ? await watchCpuPerCycle() : undefined
const watchOver = (watch?.cpuMsPerCycle ?? 0) > 10
over += watchOver ? 1 : 0
if (watch) console.log(`run --watch, CPU per cycle`.padEnd(32) + '-'.padStart(18) + (watch?.cpuMsPerCycle ?? 0).toFixed(1).padStart(18) + `   ≤ 10 ms${watchOver ? '  OVER' : '  ok'} (${watch?.cycles} cycles, time 10× faster; this host's series, full history)`)

const memory = !ONLY || ONLY === 'memory' ? await memoryPerHost() : undefined
if (memory) {
  const memoryOver = memory.totalBytes > MEMORY_BUDGET
  over += memoryOver ? 1 : 0
  for (const tier of memory.tiers) console.log(`memory, ${tier.tier} tier`.padEnd(32) + `${tier.bytesPerSample.toFixed(0)} B/sample`.padStart(18) + `${(tier.bytes / 1e6).toFixed(2)} MB`.padStart(18) + `   (${tier.samples} samples of ${tier.series} series, doc ${tier.docBytes} B)`)
  console.log('memory per host, full retention'.padEnd(32) + '-'.padStart(18) + `${(memory.totalBytes / 1e6).toFixed(2)} MB`.padStart(18) + `   ≤ ${MEMORY_BUDGET / 1e6} MB${memoryOver ? '  OVER' : '  ok'} (stock Redis: stream-node-max-bytes ${memory.nodeBytes}; schemas ${memory.schemaBytes} B)`)
}

redis.kill()
rmSync(dir, {recursive: true, force: true})
process.exit(over > 0 ? 1 : 0)

/**
 * Bytes a host costs in Redis at full default retention, every tier and the
 * doc snapshots included: this machine's own samples (two real collections,
 * so that rates are there), repeated over each tier's retention through the
 * real write path with values that vary as real ones do (a number keeps its
 * kind and magnitude), then MEMORY USAGE of every key the host's samples use.
 */
async function memoryPerHost() {
  const {defaults} = require('../lib/config/defaults.js')
  const host = 'memory'
  const collectOnce = () => spawnSync(process.execPath, [bin, 'collect', '--tier', 'all', '--json', '--host', host], {env, encoding: 'utf8'}).stdout.trim().split('\n').map((line) => JSON.parse(line))
  collectOnce()
  const samples = collectOnce()
  const client = new IORedis(redisUrl)
  await client.del(...['basic', 'detailed', 'extended'].map((tier) => keys.samples(host, tier)), keys.schemas(host), keys.schemasUsed(host))
  let seed = 7
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const vary = (value) => (Number.isInteger(value) ? Math.round(value * (0.98 + random() * 0.04)) : Math.round(value * (0.5 + random()) * 1000) / 1000)
  const varyDoc = (value, key) => {
    if (typeof value === 'number' && key !== 'pid' && key !== 'mtu' && key !== 'speed_mbps') return vary(value)
    if (Array.isArray(value)) return value.map((item) => varyDoc(item, key))
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, varyDoc(item, name)]))
    return value
  }
  const now = Date.now()
  const tiers = []
  for (const sample of samples) {
    const {host: _facts, ...doc} = sample.doc // collect keeps host facts in the meta hash, not in entries
    const stepMs = defaults.monitoring.intervals[sample.tier] * 1000
    const count = defaults.monitoring.retention[sample.tier] * 1000 / stepMs
    let pipeline = client.pipeline()
    for (let index = 0; index < count; index++) {
      const atMs = now - (count - 1 - index) * stepMs
      const series = Object.fromEntries(Object.entries(sample.series).map(([name, value]) => [name, vary(value)]))
      queueSample(pipeline, keys, host, {tier: sample.tier, atMs, series, doc: varyDoc(doc)}, {id: `${atMs}-0`})
      if (index % 500 === 499) {
        await pipeline.exec()
        pipeline = client.pipeline()
      }
    }
    await pipeline.exec()
    const bytes = Number(await client.call('MEMORY', 'USAGE', keys.samples(host, sample.tier), 'SAMPLES', '0'))
    tiers.push({tier: sample.tier, samples: count, series: Object.keys(sample.series).length, docBytes: Object.keys(doc).length ? JSON.stringify(doc).length : 0, bytes, bytesPerSample: bytes / count})
  }
  const schemaBytes = Number(await client.call('MEMORY', 'USAGE', keys.schemas(host), 'SAMPLES', '0')) + Number(await client.call('MEMORY', 'USAGE', keys.schemasUsed(host), 'SAMPLES', '0'))
  const nodeBytes = (await client.config('GET', 'stream-node-max-bytes'))[1]
  await client.quit()
  return {tiers, schemaBytes, nodeBytes, totalBytes: tiers.reduce((sum, tier) => sum + tier.bytes, 0) + schemaBytes}
}

/**
 * Steady-state CPU of `run --watch`: utime + stime from /proc/<pid>/stat
 * across 60 cycles, after a warm-up, on a host whose own series have a full
 * retention of (synthetic) history. Time runs 10× faster so that 60 cycles
 * take a minute: every interval, retention, window, lag and horizon is
 * divided by 10 and the history is seeded at a tenth of the spacing, so each
 * cycle does the same work as at 10 s / 60 s / 5 min (the same number of
 * entries read, the same grid, the same 31 lags).
 */
async function watchCpuPerCycle() {
  // Steady state: after one whole extended interval (30 cycles), once every stage has run and been compiled.
  const WARMUP_CYCLES = Number(process.env.BENCH_WARMUP ?? 30)
  const {writeFileSync} = await import('node:fs')
  // This host's own series (what collect produces here), each with a full retention of history.
  const collected = spawnSync(process.execPath, [bin, 'collect', '--tier', 'all', '--json', '--host', 'watched'], {env, encoding: 'utf8'})
  const namesByTier = Object.fromEntries(collected.stdout.trim().split('\n').map((line) => JSON.parse(line)).map((sample) => [sample.tier, Object.keys(sample.series)]))
  await seedHistory('watched', namesByTier, 10)
  const config = join(dir, 'watch.yaml')
  writeFileSync(config, [
    'monitoring:',
    '  intervals: {basic: 1, detailed: 6, extended: 30}',
    '  retention: {basic: 360, detailed: 8640, extended: 60480}',
    'analysis:',
    '  anomaly_detection: {training_period: 8640}',
    '  trend_analysis: {window_size: 360, forecast_horizon: 360}',
    '  correlation: {max_lag: 30}',
    '  history_retention: 8640',
    '',
  ].join('\n'))
  const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []), bin, 'run', '--watch', '--config', config, '--host', 'watched'], {env, cwd: '/', stdio: ['ignore', 'pipe', 'ignore']})
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
  await waitFor(WARMUP_CYCLES)
  const [startTicks, startCycles, startMs] = [ticks(), cycles, Date.now()]
  await waitFor(startCycles + 60)
  const [endTicks, endCycles] = [ticks(), cycles]
  if (process.env.BENCH_DEBUG) {
    const {readdirSync} = await import('node:fs')
    for (const task of readdirSync(`/proc/${child.pid}/task`)) console.error(task, readFileSync(`/proc/${child.pid}/task/${task}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).join(' '))
    console.error('main', readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).join(' '), 'start', startTicks, 'end', endTicks, 'cycles', endCycles - startCycles, 'wall s', (Date.now() - startMs) / 1000)
  }
  child.kill('SIGTERM')
  await new Promise((resolve) => child.on('exit', resolve))
  const ticksPerSecond = 100
  return {cpuMsPerCycle: ((endTicks - startTicks) * 1000) / ticksPerSecond / (endCycles - startCycles), cycles: endCycles - startCycles}
}
