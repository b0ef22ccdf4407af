import * as Flags from '@oclif/core/flags'

import type {Notification} from '../../alert/notification'
import {listOutbox, requeueDead} from '../../alert/outbox'
import {BaseCommand} from '../../cli/base-command'
import {ConfigError} from '../../cli/errors'
import {EXIT_CODES_HELP} from '../../cli/exit-codes'
import {makeTable} from '../../cli/table'

export default class AlertsOutbox extends BaseCommand<typeof AlertsOutbox> {
  static override summary = 'Show notifications waiting to be sent and those that could not be (dead letters), with their last error.'
  static override description = `monitor alert --flush retries the pending ones now. --retry ID (or --all-dead) puts dead letters back in the outbox, due at once with their attempts reset; the next monitor alert (or alert --flush) sends them, with the same id.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> alerts outbox', '<%= config.bin %> alerts outbox --json | jq ".dead[].last_error"', '<%= config.bin %> alerts outbox --all-dead && <%= config.bin %> alert --flush']
  static override flags = {
    retry: Flags.string({summary: 'Put this dead letter (its notification id) back in the outbox; repeatable.', multiple: true, exclusive: ['all-dead']}),
    'all-dead': Flags.boolean({summary: 'Put every dead letter back in the outbox.'}),
  }

  public async run(): Promise<{pending: Notification[]; dead: Notification[]; requeued?: string[]}> {
    const context = await this.stageContext()
    const redis = await this.redis(context)
    let requeued: string[] | undefined
    if (this.flags.retry || this.flags['all-dead']) {
      const wanted = this.flags['all-dead'] ? 'all' : this.flags.retry ?? []
      requeued = await requeueDead(redis, context.keys, wanted, Date.now())
      const missing = wanted === 'all' ? [] : wanted.filter((id) => !requeued?.includes(id))
      if (missing.length > 0) throw new ConfigError([`--retry: no dead letter with id ${missing.join(', ')} (monitor alerts outbox lists them)`])
      if (!this.jsonEnabled()) this.log(`put ${requeued.length} dead letter(s) back in the outbox: the next monitor alert sends them`)
    }
    const outbox = await listOutbox(redis, context.keys)
    if (!this.jsonEnabled()) {
      if (outbox.pending.length + outbox.dead.length === 0) this.log('the outbox is empty')
      else {
        const table = makeTable(['state', 'channel', 'id', 'notification', 'attempts', 'next try', 'last error'])
        for (const [state, list] of [['pending', outbox.pending], ['dead', outbox.dead]] as const) {
          for (const item of list) table.push([state, item.channel, item.id, item.title.slice(0, 50), item.attempts, state === 'dead' ? '-' : new Date(item.nextAttemptAt).toISOString().slice(0, 19), (item.lastError ?? '').slice(0, 60)])
        }
        this.log(table.toString())
      }
    }
    return requeued ? {...outbox, requeued} : outbox
  }
}
