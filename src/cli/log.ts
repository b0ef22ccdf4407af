/**
 * Logs go to stderr, where journald and cron's mail pick them up; stdout is
 * reserved for results (tables or --json). One line per message, text or JSON.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const rank: Record<LogLevel, number> = {debug: 10, info: 20, warn: 30, error: 40}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export interface LoggerOptions {
  level: LogLevel
  format: 'text' | 'json'
  write?: (line: string) => void
}

export function createLogger({level, format, write = (line) => process.stderr.write(line)}: LoggerOptions): Logger {
  const emit = (messageLevel: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (rank[messageLevel] < rank[level]) return
    if (format === 'json') {
      write(JSON.stringify({time: new Date().toISOString(), level: messageLevel, msg: message, ...fields}) + '\n')
      return
    }
    const extra = fields && Object.keys(fields).length > 0
      ? ' ' + Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ')
      : ''
    const prefix = messageLevel === 'info' ? '' : `${messageLevel}: `
    write(`monitor: ${prefix}${message}${extra}\n`)
  }
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  }
}
