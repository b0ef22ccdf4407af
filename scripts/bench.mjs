#!/usr/bin/env node
// Whole-process timings of monitor's commands, as cron and systemd run them:
// median wall and CPU (user + system) time over RUNS runs each, against a
// redis-server started here on a free port. NODE_EXTRA_CA_CERTS is unset, as
// under cron and systemd (it adds ~37 ms to every Node start here).
// Runs from / as a systemd unit does. Exits 1 when a median is over its
// budget, 2 when a run fails (a failed run is not a measurement).
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
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

const cases = [
  {name: 'collect --tier basic', args: ['collect', '--tier', 'basic', '--quiet'], wallMs: 150, cpuMs: 150},
  {name: 'collect --tier detailed', args: ['collect', '--tier', 'detailed', '--quiet'], wallMs: 300},
  {name: 'collect --tier extended', args: ['collect', '--tier', 'extended', '--quiet'], wallMs: 800},
]

console.log(`node ${process.version}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? `unset for the runs (was ${process.env.NODE_EXTRA_CA_CERTS})` : 'not set'}, ${RUNS} runs each, Redis ${redisUrl}`)
console.log('command'.padEnd(32) + 'wall ms (median)'.padStart(18) + 'cpu ms (median)'.padStart(18) + '   budget')
let over = 0
for (const bench of cases) {
  timeOnce(bench.args, bench.env) // warm the page cache, the code cache and the stored counters
  const runs = Array.from({length: RUNS}, () => timeOnce(bench.args, bench.env))
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

redis.kill()
rmSync(dir, {recursive: true, force: true})
process.exit(over > 0 ? 1 : 0)
