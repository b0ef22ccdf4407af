import {hostname} from 'node:os'

// Subpath imports: the package index loads every part of oclif (help, ux, a semver check),
// ~24 ms CPU per start that a command run every 10 s does not need.
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type * as Interfaces from '@oclif/core/interfaces'
import type {Redis} from 'ioredis'

import {loadConfig} from '../config/load'
import {secretsOf} from '../config/redact'
import type {Config} from '../config/schema'
import {Spool, stateDir} from '../collect/spool'
import {HOST_PATTERN, type Keys, keysFor} from '../store/keys'
import {asRedisError, connectRedis} from '../store/redis'
import {ConfigError, MonitorError} from './errors'
import {ExitCode} from './exit-codes'
import {toJsonOutput} from './json'
import {createLogger, type Logger} from './log'
import {installStopHandlers} from './stop'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** What a stage needs: the effective configuration, who we are, and where the keys live. */
export interface StageContext {
  config: Config
  configSource?: string
  host: string
  keys: Keys
  redisUrl: string
  log: Logger
  /** The local spool for samples that could not reach Redis. */
  spool: Spool
}

/**
 * The shared part of every command: global flags, configuration, logging,
 * the Redis connection, and turning errors into one line and an exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    config: Flags.string({char: 'c', env: 'MONITOR_CONFIG', helpGroup: 'GLOBAL', summary: 'Configuration file (default: search for monitor.config.yaml, .monitorrc…).'}),
    'redis-url': Flags.string({env: 'MONITOR_REDIS_URL', helpGroup: 'GLOBAL', summary: 'Redis URL, overrides redis.url (default redis://127.0.0.1:6379/0).'}),
    host: Flags.string({env: 'MONITOR_HOST', helpGroup: 'GLOBAL', summary: "Host name to act for (default: this machine's hostname)."}),
    'state-dir': Flags.string({env: 'MONITOR_STATE_DIR', helpGroup: 'GLOBAL', summary: 'Local state and spool (default: state_dir, else /var/lib/monitor for root, ~/.local/state/monitor otherwise).'}),
    verbose: Flags.boolean({char: 'v', helpGroup: 'GLOBAL', summary: 'Log debug lines, and stack traces on errors.', exclusive: ['quiet']}),
    quiet: Flags.boolean({char: 'q', helpGroup: 'GLOBAL', summary: 'Log errors only.'}),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** Every positional argument, in order (for commands that take several). */
  protected positional: string[] = []
  protected logger: Logger = createLogger({level: 'info', format: 'text'})
  private secrets: string[] = []
  private redisClient?: Redis

  public override async init(): Promise<void> {
    await super.init()
    const {args, argv, flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.positional = argv as string[]
    this.logger = this.makeLogger('text')
    installStopHandlers((message) => this.logger.info(message))
  }

  private makeLogger(format: 'text' | 'json'): Logger {
    const level = this.flags?.verbose ? 'debug' : this.flags?.quiet ? 'error' : 'info'
    // Every log line passes the scrubber: a library's error text may quote a URL with its password.
    return createLogger({level, format, write: (line) => process.stderr.write(this.scrub(line))})
  }

  /** Loads and validates the configuration and resolves host and Redis URL. Throws ConfigError. */
  protected async stageContext(): Promise<StageContext> {
    const {config, source, warnings} = await loadConfig({file: this.flags.config})
    this.secrets = secretsOf(config)
    this.logger = this.makeLogger(config.logging.format)
    for (const warning of warnings) this.logger.warn(warning)
    const host = this.flags.host ?? hostname()
    if (!HOST_PATTERN.test(host)) {
      throw new ConfigError([`--host: ${JSON.stringify(host)} is not a valid host name (letters, digits, ".", "_", "-"; at most 253)`])
    }
    const redisUrl = this.flags['redis-url'] ?? config.redis.url
    if (this.flags['redis-url']) this.secrets.push(...secretsOfUrl(redisUrl))
    const spool = new Spool(stateDir(this.flags['state-dir'] || config.state_dir || undefined), config.spool.max_entries)
    return {config, configSource: source, host, keys: keysFor(config.redis.prefix), redisUrl, log: this.logger, spool}
  }

  /** Connects to Redis (failing fast with exit 3) and closes the connection when the command ends. */
  protected async redis(context: StageContext): Promise<Redis> {
    if (!this.redisClient) {
      const {redis} = context.config
      this.redisClient = await connectRedis({
        url: context.redisUrl, connectTimeoutMs: Math.round(redis.connect_timeout * 1000), tlsCaFile: redis.tls_ca_file || undefined,
        // --redis-url / MONITOR_REDIS_URL names one server and wins over a configured cluster or sentinels.
        cluster: this.flags['redis-url'] ? [] : redis.cluster, sentinels: this.flags['redis-url'] ? [] : redis.sentinels, name: redis.name,
      })
      this.redisUrlForErrors = context.redisUrl
    }
    return this.redisClient
  }

  private redisUrlForErrors?: string

  /** Drops a connection that broke, so that the next redis() call opens a new one (run --watch). */
  protected dropRedis(): void {
    this.redisClient?.disconnect()
    this.redisClient = undefined
  }

  /** Hides every known secret in free text (error messages can quote URLs). */
  protected scrub(text: string): string {
    return this.secrets.reduce((clean, secret) => clean.split(secret).join('***'), text)
  }

  /** Every --json result in one convention: snake_case keys, ISO times (see cli/json.ts). */
  protected override toSuccessJson(result: unknown): unknown {
    return toJsonOutput(result)
  }

  public override async catch(error: Interfaces.CommandError): Promise<void> {
    const mapped = this.redisUrlForErrors ? asRedisError(error, this.redisUrlForErrors) : error
    if (mapped instanceof MonitorError) {
      process.exitCode = mapped.exitCode
      process.stderr.write(`monitor: ${this.scrub(mapped.message)}\n`)
      if (this.flags?.verbose && mapped.stack) process.stderr.write(this.scrub(mapped.stack) + '\n')
      return
    }
    // oclif's own usage errors (unknown flag, missing argument, flags that exclude each other): one line, exit 2.
    if ((error as {oclif?: {exit?: number}}).oclif?.exit !== undefined || error.name === 'CLIError') {
      process.exitCode = (error as {oclif?: {exit?: number}}).oclif?.exit ?? ExitCode.config
      process.stderr.write(`monitor: ${this.scrub(usageLine(error.message, this.id))}\n`)
      return
    }
    process.exitCode = ExitCode.internal
    process.stderr.write(`monitor: internal error: ${this.scrub(error.message)}${this.flags?.verbose ? '' : ' (run with --verbose for the stack trace)'}\n`)
    if (this.flags?.verbose && error.stack) process.stderr.write(this.scrub(error.stack) + '\n')
  }

  public override async finally(error: Error | undefined): Promise<void> {
    if (this.redisClient) {
      this.redisClient.disconnect()
      this.redisClient = undefined
    }
    await super.finally(error)
  }
}

function secretsOfUrl(url: string): string[] {
  try {
    const password = decodeURIComponent(new URL(url).password)
    return password.length >= 4 ? [password] : []
  } catch {
    return []
  }
}

/**
 * oclif's usage error as one line that says what is wrong and where to look:
 * its header ("The following error occurred:") and footer ("See more help
 * with --help") dropped, the problems joined. Pure.
 */
export function usageLine(message: string, commandId?: string): string {
  const lines = message.split('\n').map((line) => line.trim().replace(/\s{2,}/g, ' — ').replace(/^(Missing required flag) (\w[\w-]*)$/, '$1 --$2')).filter((line) => line !== '' && !/^The following errors? occurred:$/.test(line) && !/^See more help with/.test(line))
  const joined = lines.reduce((text, line) => (text === '' ? line : text.endsWith(':') ? `${text} ${line}` : `${text}; ${line}`), '')
  const help = commandId ? `monitor ${commandId.replace(/:/g, ' ')} --help` : 'monitor --help'
  return `${joined || 'invalid usage'} (see ${help})`
}
