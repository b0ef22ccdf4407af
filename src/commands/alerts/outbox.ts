import type {Notification} from '../../alert/notification'
import {listOutbox} from '../../alert/outbox'
import {BaseCommand} from '../../cli/base-command'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'
import {makeTable} from '../../cli/table'

export default class AlertsOutbox extends BaseCommand<typeof AlertsOutbox> {
  static override summary = 'Show notifications waiting to be sent and those that could not be (dead letters), with their last error.'
  static override description = `monitor alert --flush retries the pending ones now.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts outbox', '<%= config.bin %> alerts outbox --json | jq ".dead[].lastError"']

  public async run(): Promise<{pending: Notification[]; dead: Notification[]}> {
    const context = await this.stageContext()
    const outbox = await listOutbox(await this.redis(context), context.keys)
    if (!this.jsonEnabled()) {
      if (outbox.pending.length + outbox.dead.length === 0) this.log('the outbox is empty')
      else {
        const table = makeTable(['state', 'channel', 'notification', 'attempts', 'next try', 'last error'])
        for (const [state, list] of [['pending', outbox.pending], ['dead', outbox.dead]] as const) {
          for (const item of list) table.push([state, item.channel, item.title.slice(0, 60), item.attempts, state === 'dead' ? '-' : new Date(item.nextAttemptAt).toISOString().slice(0, 19), (item.lastError ?? '').slice(0, 60)])
        }
        this.log(table.toString())
      }
    }
    return outbox
  }
}
