import {BaseCommand} from '../../cli/base-command'
import {exitCodesHelp} from '../../cli/exit-codes'
import {redactConfig} from '../../config/redact'
import type {Config} from '../../config/schema'

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static override summary = 'Print the effective configuration, secrets hidden.'

  static override description = `Loads the configuration exactly as every other command does (file, \${ENV} references, defaults, and --redis-url or MONITOR_REDIS_URL for redis.url), validates it, and prints it as YAML, or JSON with --json. Passwords, tokens and token-bearing URL parts are shown as ***.

${exitCodesHelp()}`

  static override examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json | jq .thresholds']

  public async run(): Promise<Config> {
    const {config, configSource, redisUrl} = await this.stageContext()
    // The Redis URL in use: --redis-url or MONITOR_REDIS_URL win over the file's.
    const redacted = redactConfig({...config, redis: {...config.redis, url: redisUrl}})
    if (!this.jsonEnabled()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only this command prints YAML
      const {stringify} = require('yaml') as typeof import('yaml')
      this.log(`# effective configuration (${configSource ?? 'defaults only: no configuration file found'})`)
      this.log(stringify(redacted).trimEnd())
    }
    return redacted
  }
}
