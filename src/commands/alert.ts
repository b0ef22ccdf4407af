import * as Flags from '@oclif/core/flags'

import {type AlertResult, alertStage} from '../alert/alert'
import {textBody} from '../alert/render'
import {BaseCommand} from '../cli/base-command'
import {EXIT_CODES_HELP, ExitCode} from '../cli/exit-codes'

export default class Alert extends BaseCommand<typeof Alert> {
  static override summary = 'Turn new alert events into notifications and deliver them.'

  static override description = `Reads the host's new alert events (written by check) and, in this order: drops those covered by a silence (monitor alerts silence) or an alerts.maintenance window; groups the rest by alerts.throttling.grouping_window (a window that has not closed yet waits for the next run); routes each to the channels whose min_severity it reaches; throttles (an alert is not re-sent within min_interval unless its severity rose; a channel sends at most max_alerts_per_hour messages, and the next message names what was held back); escalates alerts firing and unacknowledged for alerts.escalation.levels[].threshold minutes to that level's recipients by email, once per level; and sends "resolved" when an alert that was notified clears.

Notifications go through an outbox in Redis (<prefix>:outbox): one is removed only when its channel accepted it; failures are retried with exponential backoff (alerts.delivery.retry_backoff × 2^n seconds) up to alerts.delivery.max_attempts, then moved to <prefix>:deadletter. Each carries an id (email Message-ID, Idempotency-Key header, payload field) so a re-send is recognisable.

${EXIT_CODES_HELP}
  6  some notifications could not be delivered yet (they stay in the outbox)`

  static override examples = ['<%= config.bin %> alert', '<%= config.bin %> alert --dry-run', '<%= config.bin %> alert --flush']

  static override flags = {
    'dry-run': Flags.boolean({summary: 'Print what would be sent; change nothing and send nothing.', exclusive: ['flush']}),
    flush: Flags.boolean({summary: 'Retry every notification in the outbox now, ignoring backoff (like postqueue -f).'}),
  }

  public async run(): Promise<AlertResult> {
    const context = await this.stageContext()
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
      for (const {channel, keys} of result.held) this.logger.warn(`${channel}: hourly limit reached, held back ${keys.length} alert(s); the next message will say so`)
      if (result.waiting > 0) this.logger.info(`${result.waiting} event(s) wait for their grouping window to close`)
    }
    if (retrying.length > 0 || dead.length > 0) process.exitCode = ExitCode.delivery
    return result
  }
}
