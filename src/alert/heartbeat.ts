import {redactUrl} from '../config/redact-url'
import type {StageOptions} from '../stage'
import {get} from './channels/http'

/** Takes the ping if the last one is at least ARGV[2] ms before ARGV[1] (now): one ping per period, whoever runs. */
const TAKE = `
local last = tonumber(redis.call('GET', KEYS[1]) or '')
if last and tonumber(ARGV[1]) - last < tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]) * 2)
return 1`

/**
 * Pings alerts.heartbeat.url once the alert stage has run, at most once per
 * `every` seconds for this host (the time of the last ping is kept in Redis,
 * so that `run` every 10 s and a separate `alert` timer do not ping twice). A
 * failed ping is a warning and is tried again at the next run; it never fails the stage.
 */
export async function heartbeat({redis, keys, host, config, log}: StageOptions, nowMs: number): Promise<boolean> {
  const {url, every} = config.alerts.heartbeat
  if (!url) return false
  const due = await redis.eval(TAKE, 1, keys.heartbeat(host), String(nowMs), String(every * 1000))
  if (due !== 1) return false
  try {
    await get(url, config.alerts.delivery.timeout * 1000)
    log.debug(`heartbeat: pinged ${redactUrl(url, {hidePath: true})}`)
    return true
  } catch (error) {
    await redis.del(keys.heartbeat(host)).catch(() => 0)
    log.warn(`heartbeat: ${(error as Error).message}; tried again at the next run`)
    return false
  }
}
