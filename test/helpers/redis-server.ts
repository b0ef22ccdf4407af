import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {closedPort} from './receivers'

const ping = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect(port, '127.0.0.1')
  socket.once('error', () => resolve(false))
  socket.once('connect', () => {
    socket.destroy()
    resolve(true)
  })
})

/**
 * A redis-server of a test's own (for killing and restarting), on 127.0.0.1
 * in a temporary directory; the suite's shared Redis is never touched.
 */
export async function ownRedis(options: {password?: string; tls?: {cert: string; key: string; ca: string}} = {}): Promise<{port: number; url: string; start: () => Promise<void>; stop: () => Promise<void>}> {
  const port = await closedPort()
  const dir = mkdtempSync(join(tmpdir(), 'monitor-fault-redis-'))
  let child: ChildProcess | undefined
  const start = async () => {
    const listen = options.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key, '--tls-ca-cert-file', options.tls.ca, '--tls-auth-clients', 'no']
      : ['--port', String(port)]
    const args = [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--logfile', join(dir, 'redis.log')]
    if (options.password) args.push('--requirepass', options.password)
    child = spawn('redis-server', args, {stdio: 'ignore'})
    for (let attempt = 0; attempt < 100 && !(await ping(port)); attempt++) await new Promise((resolve) => setTimeout(resolve, 30))
  }
  const stop = async () => {
    if (!child) return
    const exited = new Promise((resolve) => child?.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    child = undefined
  }
  await start()
  const auth = options.password ? `:${options.password}@` : ''
  return {port, url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}/0`, start, stop}
}
