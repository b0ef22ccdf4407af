import assert from 'node:assert/strict'
import {createServer as createHttpServer} from 'node:http'
import {createServer, type Server} from 'node:net'
import {after, before, describe, it} from 'node:test'

import type {Redis} from 'ioredis'

import {alertStage} from '../../src/alert/alert'
import {check} from '../../src/alert/check'
import {deliverDue} from '../../src/alert/deliver'
import {listOutbox} from '../../src/alert/outbox'
import {createLogger} from '../../src/cli/log'
import {resolveConfig} from '../../src/config/resolve'
import type {Config} from '../../src/config/schema'
import {keysFor} from '../../src/store/keys'
import {startSmtp} from '../helpers/receivers'
import {testRedis} from '../helpers/redis'
import {writeSample} from '../helpers/seed'

const log = createLogger({level: 'error', format: 'text', write: () => {}})
const listen = async (server: Server | ReturnType<typeof createHttpServer>) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as {port: number}).port
}

/** An SMTP server that greets, accepts the envelope, then drops the connection in the middle of DATA. */
function droppingSmtp(): Server {
  return createServer((socket) => {
    socket.write('220 flaky ESMTP\r\n')
    socket.on('data', (chunk) => {
      const text = chunk.toString()
      if (/^(EHLO|HELO)/im.test(text)) socket.write('250 flaky\r\n')
      else if (/^MAIL FROM/im.test(text) || /^RCPT TO/im.test(text)) socket.write('250 OK\r\n')
      else if (/^DATA/im.test(text)) socket.write('354 go on\r\n')
      else socket.destroy()
    })
  })
}

describe('fault: receivers that misbehave', () => {
  let redis: Redis
  let prefix: string
  let cleanup: () => Promise<void>
  const servers: {close: () => unknown}[] = []
  const T0 = Date.now()

  before(async () => {
    ({redis, prefix, cleanup} = await testRedis())
  })
  after(async () => {
    for (const server of servers) server.close()
    await cleanup()
  })

  /** Fires one alert on `host` and runs the alert stage once with `config`; returns what delivery said. */
  async function fire(host: string, config: Config) {
    const keys = keysFor(prefix)
    await writeSample(redis, keys, host, 'basic', T0, {'memory.percent': 90})
    await check({redis, keys, host, config, log, now: () => T0})
    return (await alertStage({redis, keys, host, config, log, now: () => T0})).delivery
  }
  const emailConfig = (smtpUrl: string) => resolveConfig({redis: {prefix}, alerts: {throttling: {grouping_window: 0}, channels: {email: {recipients: ['admin@example.com'], smtp_url: smtpUrl}}, delivery: {timeout: 1, retry_backoff: 1}}}, {})

  it('SMTP refusing (451) keeps the email; once it accepts, it is sent exactly once', async () => {
    const smtp = await startSmtp()
    servers.push(smtp)
    smtp.refuse(true)
    const config = emailConfig(`smtp://127.0.0.1:${smtp.port}`)
    const first = await fire('refused', config)
    assert.match(first.retrying[0]?.lastError ?? '', /SMTP: .*451/)
    smtp.refuse(false)
    const keys = keysFor(prefix)
    await deliverDue({redis, keys, config, log, now: () => T0 + 60_000})
    await deliverDue({redis, keys, config, log, now: () => T0 + 120_000})
    assert.equal(smtp.mails.length, 1)
    assert.deepEqual((await listOutbox(redis, keys)).pending, [])
  })

  it('SMTP dropping the connection mid-message is retried', async () => {
    const server = droppingSmtp()
    servers.push(server)
    const port = await listen(server)
    const delivery = await fire('dropped', emailConfig(`smtp://127.0.0.1:${port}`))
    assert.equal(delivery.retrying.length, 1)
    assert.match(delivery.retrying[0]?.lastError ?? '', /SMTP: /)
  })

  it('SMTP that never answers times out within the delivery timeout and is retried', async () => {
    const silent = createServer(() => {})
    servers.push(silent)
    const port = await listen(silent)
    const started = Date.now()
    const delivery = await fire('hung', emailConfig(`smtp://127.0.0.1:${port}`))
    assert.ok(Date.now() - started < 4000, `${Date.now() - started} ms`)
    assert.equal(delivery.retrying.length, 1)
    assert.match(delivery.retrying[0]?.lastError ?? '', /SMTP: (Greeting never received|.*[Tt]imeout)/)
  })

  it('a webhook that never answers times out and is retried', async () => {
    const silent = createHttpServer(() => {})
    servers.push(silent)
    const port = await listen(silent)
    const started = Date.now()
    const config = resolveConfig({redis: {prefix}, alerts: {throttling: {grouping_window: 0}, channels: {webhook: {url: `http://127.0.0.1:${port}/hook`}}, delivery: {timeout: 1}}}, {})
    const delivery = await fire('silent-hook', config)
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`)
    assert.match(delivery.retrying[0]?.lastError ?? '', /POST http:\/\/127\.0\.0\.1:\d+\/\*\*\* failed: /)
    silent.closeAllConnections()
  })

  it('a webhook answering with megabytes is read no further than 64 KiB', async () => {
    let written = 0
    const flood = createHttpServer((_request, response) => {
      response.writeHead(200)
      const chunk = Buffer.alloc(64 * 1024, 'x')
      const pump = () => {
        while (written < 50 * 1024 * 1024 && response.write(chunk)) written += chunk.length
        if (written < 50 * 1024 * 1024) response.once('drain', pump)
        else response.end()
      }
      pump()
    })
    servers.push(flood)
    const port = await listen(flood)
    const config = resolveConfig({redis: {prefix}, alerts: {throttling: {grouping_window: 0}, channels: {webhook: {url: `http://127.0.0.1:${port}/hook`}}, delivery: {timeout: 5}}}, {})
    const delivery = await fire('flood', config)
    assert.equal(delivery.delivered.length, 1, 'a 2xx is accepted')
    assert.ok(written < 50 * 1024 * 1024, `the server could not push its 50 MiB (${written} bytes written)`)
    flood.closeAllConnections()
  })
})
