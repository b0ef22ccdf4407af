import {ExitCode, type ExitCodeValue} from './exit-codes'

/**
 * An error a user can act on: printed as one line (no stack trace unless
 * --verbose) and mapped to a documented exit code. Anything that is not a
 * MonitorError is a bug and exits with ExitCode.internal.
 */
export class MonitorError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    options?: {cause?: unknown},
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A configuration problem; `keyPath` is the dotted path of the offending key. */
export class ConfigError extends MonitorError {
  constructor(
    readonly problems: readonly string[],
    readonly source?: string,
  ) {
    const where = source ? `${source}: ` : ''
    const first = problems[0] ?? 'invalid configuration'
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).join('; ')})` : ''
    super(`${where}${first}${more}`, ExitCode.config)
  }
}

/** Redis could not be reached, timed out or refused a command. */
export class RedisUnavailableError extends MonitorError {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, ExitCode.redis, options)
  }
}
