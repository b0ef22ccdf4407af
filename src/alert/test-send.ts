import {randomUUID} from 'node:crypto'

import type {Config} from '../config/schema'
import {channelNamed} from './channels/registry'
import type {Notification} from './notification'
import {notificationTitle} from './render'

export interface TestResult {
  channel: string
  ok: boolean
  /** Why it failed, when it did. */
  error?: string
}

/**
 * Sends one test notification to each channel named (all the active ones
 * when none is), through the channel's real code, now and without the
 * outbox: the answer is what the receiver said. Throws nothing; each result
 * says how it went.
 */
export async function sendTests(config: Config, host: string, channels: readonly string[], now: number): Promise<TestResult[]> {
  const timeoutMs = config.alerts.delivery.timeout * 1000
  return Promise.all(channels.map(async (name): Promise<TestResult> => {
    const settings = config.alerts.channels[name]
    const channel = settings && channelNamed(settings.type)
    if (!channel || !settings) return {channel: name, ok: false, error: 'no such channel'}
    const draft: Notification = {
      id: randomUUID(), channel: name, host, kind: 'test', status: 'firing', severity: 'info', title: '', events: [],
      heldBack: {count: 0, keys: []}, createdAt: now, attempts: 0, nextAttemptAt: now,
    }
    try {
      await channel.send({...draft, title: notificationTitle(draft)}, settings as never, {timeoutMs, externalUrl: config.alerts.external_url, sentAt: now})
      return {channel: name, ok: true}
    } catch (error) {
      return {channel: name, ok: false, error: (error as Error).message}
    }
  }))
}
