import {BaseCommand} from '../cli/base-command'
import {EXIT_CODES_HELP} from '../cli/exit-codes'
import {formatDuration} from '../cli/format'
import {makeTable, paint} from '../cli/table'
import {type HostStatus, listHosts} from '../fleet/hosts'

const percent = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} %`)
const ago = (iso: string | null, now: number) => (iso === null ? 'never' : `${formatDuration((now - Date.parse(iso)) / 1000)} ago`)

export default class Hosts extends BaseCommand<typeof Hosts> {
  static override summary = 'List every host that reports to this Redis: last seen per tier, status, alerts, newest values.'
  static override description = `Status: up (reported within three basic intervals), stale (later than that), silent (nothing for rules.host_silent.after seconds; a host_silent alert fires, checked by any other host's check).\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> hosts', '<%= config.bin %> hosts --json | jq -r \'.[] | select(.status != "up") | .host\'']

  public async run(): Promise<HostStatus[]> {
    const context = await this.stageContext()
    const now = Date.now()
    const hosts = await listHosts({...context, redis: await this.redis(context), now, log: context.log})
    if (!this.jsonEnabled()) {
      if (hosts.length === 0) this.log('no host has reported yet: run monitor collect on each of them')
      else {
        const table = makeTable(['host', 'status', 'basic', 'detailed', 'extended', 'firing', 'pending', 'cpu', 'memory', 'disk max'], {alignRight: [5, 6, 7, 8, 9]})
        for (const host of hosts) table.push([host.host, paint(host.status), ago(host.lastByTier.basic, now), ago(host.lastByTier.detailed, now), ago(host.lastByTier.extended, now), host.alerts.firing, host.alerts.pending, percent(host.cpuPercent), percent(host.memoryPercent), percent(host.diskUsedPercentMax)])
        this.log(table.toString())
      }
    }
    return hosts
  }
}
