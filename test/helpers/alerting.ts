import type {Redis} from 'ioredis'

import {alertStage} from '../../src/alert/alert'
import {check} from '../../src/alert/check'
import {createLogger} from '../../src/cli/log'
import {resolveConfig} from '../../src/config/resolve'
import type {Config} from '../../src/config/schema'
import {type Keys, keysFor} from '../../src/store/keys'
import {startHttp, startSmtp} from './receivers'
import {testRedis} from './redis'
import {writeSample} from './seed'

export const HOST = 'web1'
export const T0 = Date.UTC(2026, 10, 24, 12, 0, 0)
export const MIN = 60_000
export const log = createLogger({level: 'error', format: 'text', write: () => {}})

export type Smtp = Awaited<ReturnType<typeof startSmtp>>
export type Http = Awaited<ReturnType<typeof startHttp>>

/** Real Redis, SMTP and HTTP receivers on loopback, and the check and alert stages driven with a clock the test moves. */
export interface Harness {
  redis: Redis
  keys: Keys
  config: Config
  smtp: Smtp
  http: Http
  /** Writes a basic sample at `at` (ms) — the series given, or the last ones again (the host keeps reporting) — then runs check and alert at `at`. */
  step(at: number, series?: Record<string, number>): ReturnType<typeof alertStage>
  counts(): Record<string, number>
  close(): Promise<void>
}

export async function harness(overrides: (urls: {smtp: string; http: string}) => Record<string, unknown> = () => ({}), smtpPort?: number): Promise<Harness> {
  const {redis, prefix, cleanup} = await testRedis()
  const smtp = await startSmtp(smtpPort)
  const http = await startHttp()
  const urls = {smtp: `smtp://127.0.0.1:${smtp.port}`, http: http.url}
  const base = {
    redis: {prefix},
    thresholds: {cpu: {for: 0}},
    alerts: {
      channels: {
        email: {recipients: ['admin@example.com'], smtp_url: urls.smtp, from: 'monitor@example.com'},
        slack: {webhook_url: `${http.url}/slack`, min_severity: 'warning'},
        webhook: {url: `${http.url}/hook`},
        ntfy: {url: `${http.url}/ntfy/alerts`},
        gotify: {url: `${http.url}/gotify`, token: 'gotify-app-token'},
      },
      throttling: {grouping_window: 0, min_interval: 300, max_alerts_per_hour: 10},
      delivery: {max_attempts: 3, retry_backoff: 1, timeout: 2},
    },
  }
  const config = resolveConfig(mergeObjects(base, overrides(urls)), {})
  const keys = keysFor(prefix)
  let last: Record<string, number> | undefined
  return {
    redis, keys, config, smtp, http,
    async step(at, series = last) {
      last = series
      if (series) await writeSample(redis, keys, HOST, 'basic', at, series)
      await check({redis, keys, host: HOST, config, log, now: () => at})
      return alertStage({redis, keys, host: HOST, config, log, now: () => at})
    },
    counts: () => ({email: smtp.mails.length, slack: http.on('/slack').length, webhook: http.on('/hook').length, ntfy: http.on('/ntfy').length, gotify: http.on('/gotify').length}),
    async close() {
      await Promise.all([smtp.close(), http.close()])
      await cleanup()
    },
  }
}

function mergeObjects(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {...base}
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key]
    merged[key] = current && typeof current === 'object' && !Array.isArray(current) && value && typeof value === 'object' && !Array.isArray(value) ? mergeObjects(current as Record<string, unknown>, value as Record<string, unknown>) : value
  }
  return merged
}

export const each = (count: number) => ({email: count, slack: count, webhook: count, ntfy: count, gotify: count})
export const json = (body: string) => JSON.parse(body) as Record<string, unknown> & {alerts: Record<string, unknown>[]}

