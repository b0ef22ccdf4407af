import {redactUrl} from '../../config/redact-url'
import {DeliveryError} from './types'

/** Every HTTP channel says who it is: `monitor/<version>`, read once from package.json. */
let userAgent: string | undefined
export function monitorUserAgent(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the version, once, only when something is sent
  userAgent ??= `monitor/${(require('../../../package.json') as {version: string}).version}`
  return userAgent
}

/** Responses are read to this many bytes and no further: a receiver cannot make us buffer megabytes. */
const MAX_RESPONSE_BYTES = 64 * 1024

/**
 * POSTs a body and resolves on 2xx. Redirects are not followed (a webhook
 * that redirects is misconfigured, and following could send the payload to
 * another host). TLS certificates are verified. Throws DeliveryError:
 * retryable for network errors, timeouts, 429 and 5xx; final otherwise.
 */
export function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  return send('POST', url, body, headers, timeoutMs)
}

/** A GET whose answer only counts by its status (a heartbeat ping); the same rules as post(). */
export function get(url: string, timeoutMs: number): Promise<void> {
  return send('GET', url, undefined, {}, timeoutMs)
}

async function send(method: 'GET' | 'POST', url: string, body: string | undefined, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: ~60 ms to load, only when something is sent
  const {request, Agent} = require('undici') as typeof import('undici')
  const shown = redactUrl(url, {hidePath: true})
  const dispatcher = new Agent({connect: {timeout: timeoutMs}, headersTimeout: timeoutMs, bodyTimeout: timeoutMs})
  const abort = AbortSignal.timeout(timeoutMs)
  try {
    let response
    try {
      response = await request(url, {method, body, headers: {'user-agent': monitorUserAgent(), ...headers}, dispatcher, signal: abort})
    } catch (error) {
      const reason = (error as {code?: string; message: string}).code ?? (error as Error).message
      throw new DeliveryError(`${method} ${shown} failed: ${reason}`, true)
    }
    let received = 0
    try {
      for await (const chunk of response.body) {
        received += (chunk as Buffer).length
        if (received > MAX_RESPONSE_BYTES) {
          response.body.destroy()
          break
        }
      }
    } catch {
      // The status is what matters; a body cut short changes nothing.
    }
    const status = response.statusCode
    if (status >= 200 && status < 300) return
    const retryable = status === 429 || status >= 500
    const why = status >= 300 && status < 400 ? ' (redirects are not followed)' : ''
    throw new DeliveryError(`${method} ${shown} answered ${status}${why}`, retryable)
  } finally {
    await dispatcher.close().catch(() => {})
  }
}
