#!/usr/bin/env node
// Runs the whole test suite with node's test runner against ONE real
// redis-server, started here on a free port in a temporary directory and
// stopped afterwards. Tests isolate themselves with their own key prefix.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {createServer, connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2)

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : findTests(path)
    return name.endsWith('.test.ts') ? [path] : []
  })
}

const freePort = () => new Promise((resolve, reject) => {
  const server = createServer()
  server.once('error', reject)
  server.listen(0, '127.0.0.1', () => {
    const {port} = server.address()
    server.close(() => resolve(port))
  })
})

const ping = (port) => new Promise((resolve) => {
  const socket = connect(port, '127.0.0.1')
  socket.once('error', () => resolve(false))
  socket.once('connect', () => socket.write('PING\r\n'))
  socket.once('data', (data) => {
    socket.destroy()
    resolve(data.toString().startsWith('+PONG'))
  })
})

// The real servers the suite starts: Redis (single, Cluster via redis-cli, Sentinel), openssl for TLS,
// libfaketime to move the clock of whole processes, systemd-analyze to rate the generated units, and
// a real Alertmanager for the alertmanager channel.
// As root on Debian they are installed when missing, as .ci/run does; otherwise the line says what to run.
const TOOLS = [['redis-server', 'redis-server'], ['redis-cli', 'redis-tools'], ['redis-sentinel', 'redis-sentinel'], ['openssl', 'openssl'], ['faketime', 'faketime'], ['systemd-analyze', 'systemd'], ['prometheus-alertmanager', 'prometheus-alertmanager']]
const missingPackages = () => [...new Set(TOOLS.filter(([command]) => spawnSync(command, ['--version']).error).map(([, pkg]) => pkg))]
let missing = missingPackages()
if (missing.length > 0 && process.getuid?.() === 0 && !spawnSync('apt-get', ['--version']).error) {
  console.error(`test: installing ${missing.join(', ')} with apt-get`)
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  spawnSync('apt-get', ['update', '-qq'], {stdio: 'inherit', env})
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {stdio: 'inherit', env})
  missing = missingPackages()
}
if (missing.length > 0) {
  console.error(`test: missing ${missing.join(', ')}: run 'sudo apt-get install -y ${missing.join(' ')}' and try again`)
  process.exit(2)
}

const dir = mkdtempSync(join(tmpdir(), 'monitor-test-redis-'))
const port = await freePort()
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')], {stdio: 'ignore'})
let ready = false
for (let attempt = 0; attempt < 100 && !ready; attempt++) {
  ready = await ping(port)
  if (!ready) await new Promise((resolve) => setTimeout(resolve, 50))
}
if (!ready) {
  console.error(`test: redis-server did not start on port ${port} (log in ${dir}/redis.log)`)
  redis.kill()
  process.exit(2)
}

// Arguments may name test files or directories (npm run test:faults passes test/faults).
const files = only.length > 0 ? only.flatMap((path) => (statSync(path).isDirectory() ? findTests(path).sort() : [path])) : findTests(join(root, 'test')).sort()
const env = {...process.env, MONITOR_TEST_REDIS_URL: `redis://127.0.0.1:${port}/0`, MONITOR_TEST_REDIS_PORT: String(port), NO_COLOR: '1'}
delete env.NODE_EXTRA_CA_CERTS
const runner = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {stdio: 'inherit', env, cwd: root})
const code = await new Promise((resolve) => runner.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))))
redis.kill()
await new Promise((resolve) => redis.once('exit', resolve))
rmSync(dir, {recursive: true, force: true})
process.exit(code)
