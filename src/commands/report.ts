import {existsSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import * as Flags from '@oclif/core/flags'

import {DeliveryError} from '../alert/channels/types'
import {knownHostsOf} from '../alert/people'
import {BaseCommand} from '../cli/base-command'
import {ConfigError, MonitorError} from '../cli/errors'
import {parseDuration} from '../cli/duration'
import {ExitCode, exitCodesHelp} from '../cli/exit-codes'
import {buildReport} from '../report/build'
import {mailReport} from '../report/mail'
import {renderHtml} from '../report/render/html'
import {renderMarkdown} from '../report/render/markdown'
import {renderPrometheus} from '../report/render/prometheus'
import {renderTable} from '../report/render/table'
import {toJsonOutput} from '../cli/json'
import {colourOn} from '../cli/table'

const FORMATS = ['table', 'markdown', 'html', 'json', 'prometheus'] as const

export default class Report extends BaseCommand<typeof Report> {
  static override summary = 'Write a report: host facts, core series against thresholds, period statistics, alerts, analysis, top processes.'

  static override description = `Formats:
  table       for a terminal (coloured on a TTY unless NO_COLOR is set)
  markdown    tables that paste into a wiki or an issue
  html        one self-contained file: inline CSS and SVG charts of each core series with its threshold levels; no script, nothing loaded from the network; every host value escaped
  json        the report data, for scripts (also --json)
  prometheus  the current values in the Prometheus text format (monitor_cpu_percent{host="…"}), for node_exporter's textfile collector

The period statistics (min, average, p95, max) come from the tier whose retention covers --since. --mail sends the html report with a text part through the configured email channel: a daily or weekly digest from a timer.

${exitCodesHelp(ExitCode.redis)}
  6  --mail: the SMTP server did not accept the report`

  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report --since 7d --format html --out /var/www/monitor/index.html',
    '<%= config.bin %> report --all-hosts --format markdown',
    '<%= config.bin %> report --format prometheus --out /var/lib/prometheus/node-exporter/monitor.prom',
    '<%= config.bin %> report --since 24h --mail',
  ]

  static override flags = {
    since: Flags.string({default: '24h', summary: 'The period: 1h, 24h, 7d…'}),
    format: Flags.string({char: 'f', options: [...FORMATS], default: 'table', summary: 'Output format.'}),
    out: Flags.string({char: 'o', summary: 'Write to this file (atomically) instead of stdout.'}),
    'all-hosts': Flags.boolean({summary: 'Every host in Redis, with a fleet summary first.'}),
    mail: Flags.boolean({summary: 'Send the html report by the email channel.'}),
  }

  public async run(): Promise<object | undefined> {
    const context = await this.stageContext()
    const sinceS = parseDuration(this.flags.since, '--since')
    const redis = await this.redis(context)
    const hosts = await knownHostsOf(redis, context.keys, context.host, this.flags['all-hosts'])
    const data = await buildReport({...context, redis, hosts, sinceS, now: Date.now()})
    if (this.flags.mail) {
      const subject = `[monitor] report ${hosts.length === 1 ? hosts[0] : `${hosts.length} hosts`}, last ${this.flags.since}`
      try {
        const to = await mailReport(context.config, subject, renderHtml(data), renderMarkdown(data))
        if (!this.flags.quiet) this.logger.info(`report mailed to ${to.join(', ')}`)
      } catch (error) {
        if (error instanceof DeliveryError) throw new MonitorError(`report not mailed: ${error.message}`, ExitCode.delivery)
        throw error
      }
    }
    const format = this.jsonEnabled() ? 'json' : this.flags.format
    const text = format === 'html' ? renderHtml(data) : format === 'markdown' ? renderMarkdown(data) : format === 'prometheus' ? renderPrometheus(data) : format === 'json' ? JSON.stringify(toJsonOutput(data)) + '\n' : renderTable(data, !this.flags.out && colourOn()) + '\n'
    if (this.flags.out) {
      writeAtomically(this.flags.out, text)
      if (!this.flags.quiet) this.logger.info(`wrote ${this.flags.out}`)
    } else if (!this.flags.mail || this.flags.format !== 'table') {
      process.stdout.write(text)
    }
    return undefined
  }
}

/** Writes `path` through a temporary file and a rename, so a reader never sees half a report. Throws ConfigError naming --out. */
function writeAtomically(path: string, text: string): void {
  if (!existsSync(dirname(resolve(path)))) throw new ConfigError([`--out: no directory ${dirname(resolve(path))} (create it first)`])
  const temporary = `${path}.tmp-${process.pid}`
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, {force: true})
    throw new ConfigError([`--out: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`])
  }
}
