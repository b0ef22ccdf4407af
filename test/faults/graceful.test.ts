import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {createServer} from 'node:http'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {ROOT, runCli, writeConfig} from '../helpers/cli'
import {testRedis} from '../helpers/redis'

describe('fault: SIGTERM during delivery', () => {
  it('finishes the send in progress, leaves the rest in the outbox, and the next run sends them once', async () => {
    const {url, prefix, cleanup} = await testRedis()
    const received: string[] = []
    let onFirst: () => void = () => {}
    const firstArrived = new Promise<void>((resolve) => (onFirst = resolve))
    // A slow receiver: answers each POST after 700 ms.
    const server = createServer((request, response) => {
      received.push(String(request.headers['x-monitor-notification-id']))
      onFirst()
      request.resume()
      setTimeout(() => response.end('ok'), 700)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as {port: number}).port}`
    const config = writeConfig(`redis:\n  prefix: ${prefix}\nthresholds:\n  memory: {warning: 0.1, error: 99, critical: 100}\nalerts:\n  throttling: {grouping_window: 0}\n  delivery: {timeout: 5}\n  channels:\n    webhook: {url: "${base}/hook"}\n    ntfy: {url: "${base}/ntfy/topic"}\n    gotify: {url: "${base}/gotify", token: t}\n`)
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'run', '--config', config, '--redis-url', url, '--host', 'stopping'], {env: {...process.env, NO_COLOR: '1'}})
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      await firstArrived
      child.kill('SIGTERM')
      const code = await new Promise((resolve) => child.on('exit', resolve))
      assert.equal(code, 0, stderr)
      assert.match(stderr, /SIGTERM: finishing the step in progress, then stopping/)
      assert.match(stderr, /stopping: left 2 notification\(s\) in the outbox for the next run/)
      assert.equal(received.length, 1, 'the send in progress finished; nothing else started')
      const outbox = JSON.parse((await runCli(['alerts', 'outbox', '--json', '--config', config, '--redis-url', url])).stdout)
      assert.equal(outbox.pending.length, 2)
      const next = await runCli(['alert', '--config', config, '--redis-url', url, '--host', 'stopping'])
      assert.equal(next.code, 0, next.stderr)
      assert.equal(received.length, 3)
      assert.equal(new Set(received).size, 3, 'each notification exactly once')
    } finally {
      server.closeAllConnections()
      server.close()
      await cleanup()
    }
  })
})
