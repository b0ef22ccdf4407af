import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {activeChannels, type AlertResult, alertStage} from '../alert/alert'
import {sendTests, type TestResult} from '../alert/test-send'
import {textBody} from '../alert/render'
import {BaseCommand} from '../cli/base-command'
import {ConfigError, MonitorError} from '../cli/errors'
import type {Config} from '../config/schema'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'

export default class Alert extends BaseCommand<typeof Alert> {
  static override summary = 'Turn new alert events into notifications and deliver them.'

  static override description = `Reads the host's new alert events (written by check) and its active alerts, and plans what each channel must hear, in this order: suppress (a silence from monitor alerts silence, an alerts.maintenance window, or inhibition — the host is silent, or a higher severity fires on the same series — withholds everything, escalation included); group (events of one host within alerts.throttling.grouping_window go out as one message; a window not yet closed waits for the next run); route (each channel takes what reaches its min_severity, and follows an alert it was told of to its resolution); throttle (every firing episode is told; within one, a rise at once, a fall after min_interval, the same severity again every repeat_interval); hourly cap (at most max_alerts_per_hour messages per channel; what is held back goes out, named, as soon as the hour allows); escalate (an alert firing and unacknowledged for alerts.escalation.levels[].after goes to that level's recipients and channels, once per level, and they hear the resolution).

Notifications go through an outbox in Redis (<prefix>:outbox): one is removed only when its channel accepted it; every sender (alert, alert --flush, run) claims one at a time under a lease, so none is sent twice; failures are retried with exponential backoff (alerts.delivery.retry_backoff × 2^n seconds) up to alerts.delivery.max_attempts, then moved to <prefix>:deadletter. Each carries an id (email Message-ID, Idempotency-Key header, payload field) so a re-send is recognisable.

${exitCodesHelp(ExitCode.redis, ExitCode.locked, ExitCode.delivery)}`

  static override examples = ['<%= config.bin %> alert', '<%= config.bin %> alert --dry-run', '<%= config.bin %> alert --flush', '<%= config.bin %> alert --test', '<%= config.bin %> alert --test slack email']

  static override strict = false

  static override args = {channel: Args.string({description: 'With --test: the channels to test (default: every enabled one); more may follow.'})}

  static override flags = {
    test: Flags.boolean({summary: 'Send one test notification to each enabled channel (or the CHANNELs named) now, and say how each went; exit 6 if any failed.', exclusive: ['dry-run', 'flush']}),
    'dry-run': Flags.boolean({summary: 'Print what would be sent; change nothing and send nothing.', exclusive: ['flush']}),
    flush: Flags.boolean({summary: 'Retry every notification in the outbox now, ignoring backoff (like postqueue -f); what another process is sending is left to it.'}),
  }

  public async run(): Promise<AlertResult | {tests: TestResult[]}> {
    const context = await this.stageContext()
    if (this.flags.test) return this.test(context.config, context.host)
    if (this.positional.length > 0) throw new ConfigError([`unexpected argument ${this.positional[0]}: channel names go with --test`])
    const result = await alertStage({...context, redis: await this.redis(context), dryRun: this.flags['dry-run'], flush: this.flags.flush})
    const {delivered, retrying, dead} = result.delivery
    if (!this.jsonEnabled() && !this.flags.quiet) {
      if (this.flags['dry-run']) {
        for (const notification of result.queued) this.log(`--- ${notification.channel}${notification.recipients ? ` to ${notification.recipients.join(', ')}` : ''}: ${notification.title}\n${textBody(notification)}\n`)
        this.log(`dry run: ${result.queued.length} notification(s) would be queued; nothing was changed`)
      } else {
        this.log(`${result.host}: queued ${result.queued.length}, delivered ${delivered.length}, retrying ${retrying.length}, dead ${dead.length}`)
      }
      for (const {key, reason} of result.suppressed) this.logger.info(`not notified: ${key}: ${reason}`)
      for (const {channel, keys} of result.held) this.logger.warn(`${channel}: hourly limit reached, held back ${keys.length} alert(s); they go out as soon as the hour allows`)
      if (result.waiting > 0) this.logger.info(`${result.waiting} event(s) wait for their grouping window to close`)
    }
    if (retrying.length > 0 || dead.length > 0) process.exitCode = ExitCode.delivery
    return result
  }

  private async test(config: Config, host: string): Promise<{tests: TestResult[]}> {
    const active = activeChannels(config).map((channel) => channel.name)
    const named = this.positional.length > 0 ? this.positional : active
    const unknown = named.filter((name) => !active.includes(name))
    if (named.length === 0) throw new ConfigError(['alerts.channels: no channel is on with a destination, so there is nothing to test'])
    if (unknown.length > 0) throw new ConfigError([`CHANNEL: ${unknown.join(', ')} is not an enabled channel with a destination (enabled: ${active.join(', ') || 'none'})`])
    const tests = await sendTests(config, host, named, Date.now())
    if (!this.jsonEnabled()) for (const test of tests) this.log(`${test.channel}: ${test.ok ? 'sent' : `FAILED: ${test.error}`}`)
    const failed = tests.filter((test) => !test.ok)
    if (failed.length > 0) throw new MonitorError(`test notification not delivered by ${failed.map((test) => `${test.channel} (${test.error})`).join('; ')}`, ExitCode.delivery)
    return {tests}
  }
}
