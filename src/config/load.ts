import {existsSync, readFileSync, statSync} from 'node:fs'

import {cosmiconfig} from 'cosmiconfig'

import {ConfigError} from '../cli/errors'
import {resolveConfig} from './resolve'
import {type Config, configSchema} from './schema'
import {nodeAt, type SecretKind} from './schema-dsl'

/** Where a system-wide installation keeps its configuration when none is found by search. */
export const SYSTEM_CONFIG_FILE = '/etc/monitor/monitor.config.yaml'

export interface LoadedConfig {
  config: Config
  /** The file it came from, or undefined when only the defaults apply. */
  source?: string
  /** Things worth a warning (a file others can read that holds a secret). */
  warnings: string[]
}

const secretKind = (path: string[]): SecretKind | undefined => {
  const node = nodeAt(configSchema, path)
  return node?.kind === 'string' ? node.secret : undefined
}
const isSecret = (path: string[]): boolean => secretKind(path) !== undefined

/** Whether a value written in the file really holds secret material (a bare webhook URL does not). */
function holdsSecret(kind: SecretKind, value: string): boolean {
  if (kind !== 'url') return true
  try {
    const url = new URL(value)
    return url.password !== '' || url.search !== ''
  } catch {
    return true
  }
}

/**
 * Replaces every `<secret key>_file: PATH` with the file's content (trimmed),
 * and lists the secrets written literally in the file (not `${ENV}` or a
 * file). Throws ConfigError naming the key when a file cannot be read.
 */
export function readSecretFiles(raw: unknown, path: string[] = [], literal: string[] = []): {value: unknown; literal: string[]} {
  if (Array.isArray(raw)) return {value: raw.map((item, index) => readSecretFiles(item, [...path, String(index)], literal).value), literal}
  if (typeof raw !== 'object' || raw === null) {
    const kind = secretKind(path)
    if (typeof raw === 'string' && raw !== '' && kind && !/\$\{[A-Za-z_]/.test(raw) && holdsSecret(kind, raw)) literal.push(path.join('.'))
    return {value: raw, literal}
  }
  const result: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(raw)) {
    const base = key.endsWith('_file') ? key.slice(0, -'_file'.length) : undefined
    if (base && isSecret([...path, base]) && typeof child === 'string') {
      try {
        result[base] = readFileSync(child, 'utf8').trim()
      } catch (error) {
        throw new ConfigError([`${[...path, key].join('.')}: cannot read ${child}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`])
      }
      continue
    }
    result[key] = readSecretFiles(child, [...path, key], literal).value
  }
  return {value: result, literal}
}

/**
 * Finds and loads the configuration: `file` when given (--config or
 * MONITOR_CONFIG); otherwise cosmiconfig's search for the module name
 * `monitor` (monitor.config.{yaml,json,js}, .monitorrc, package.json "monitor")
 * from `cwd` up to the home directory and ~/.config/monitor/, then
 * /etc/monitor/monitor.config.yaml. Throws ConfigError (exit 2).
 */
export async function loadConfig({file, cwd = process.cwd(), env = process.env}: {file?: string; cwd?: string; env?: Record<string, string | undefined>} = {}): Promise<LoadedConfig> {
  const explorer = cosmiconfig('monitor', {searchStrategy: 'global', cache: false})
  let found: {config: unknown; filepath: string} | null
  try {
    if (file) {
      if (!existsSync(file)) throw new ConfigError([`${file}: no such configuration file`])
      found = await explorer.load(file)
    } else {
      found = await explorer.search(cwd)
      if (!found && existsSync(SYSTEM_CONFIG_FILE)) found = await explorer.load(SYSTEM_CONFIG_FILE)
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new ConfigError([`cannot read the configuration: ${reason}`], file)
  }
  if (!found) return {config: resolveConfig({}, env), warnings: []}
  const {value, literal} = readSecretFiles(found.config)
  const warnings: string[] = []
  if (literal.length > 0 && (statSync(found.filepath).mode & 0o044) !== 0) {
    warnings.push(`${found.filepath} is readable by other users and holds a secret (${literal.join(', ')}): chmod 600 it, or use \${ENV} or <key>_file`)
  }
  return {config: resolveConfig(value, env, found.filepath), source: found.filepath, warnings}
}
