import * as Args from '@oclif/core/args'

import {BaseCommand} from '../../cli/base-command'
import {exitCodesHelp} from '../../cli/exit-codes'
import {loadConfig} from '../../config/load'

export default class ConfigValidate extends BaseCommand<typeof ConfigValidate> {
  static override summary = 'Check a configuration file; exit 2 naming every bad key.'

  static override description = `Validates FILE (or the file the other commands would use) against the schema: unknown keys, wrong types, thresholds out of order (warning > error), unset \${ENV} references. Prints "<file>: ok" or one line naming the key paths, and exits 2.

${exitCodesHelp()}`

  static override examples = ['<%= config.bin %> config validate /etc/monitor/monitor.config.yaml']

  static override args = {
    file: Args.string({description: 'Configuration file to check (default: the one --config or the search finds).'}),
  }

  public async run(): Promise<{file: string | null; valid: true}> {
    const {source, warnings} = await loadConfig({file: this.args.file ?? this.flags.config})
    for (const warning of warnings) this.logger.warn(warning)
    if (!this.jsonEnabled()) this.log(`${source ?? 'defaults (no configuration file found)'}: ok`)
    return {file: source ?? null, valid: true}
  }
}
