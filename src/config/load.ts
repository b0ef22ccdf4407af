import {readFileSync, statSync} from 'node:fs'

import {ConfigError} from '../cli/errors'
import {findConfig} from './find'
import {resolveConfig} from './resolve'
import {type Config, configSchema} from './schema'
import {nodeAt, type SecretKind} from './schema-dsl'

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
export function readSecretFiles(raw: unknown, path: string[] = [], literal: string[] = [], schemaPath: string[] = path): {value: unknown; literal: string[]} {
  if (Array.isArray(raw)) return {value: raw.map((item, index) => readSecretFiles(item, [...path, String(index)], literal, [...schemaPath, String(index)]).value), literal}
  if (typeof raw !== 'object' || raw === null) {
    const kind = secretKind(schemaPath)
    if (typeof raw === 'string' && raw !== '' && kind && !/\$\{[A-Za-z_]/.test(raw) && holdsSecret(kind, raw)) literal.push(path.join('.'))
    return {value: raw, literal}
  }
  const result: Record<string, unknown> = {}
  // A named channel's fields are those of its type (alerts.channels.oncall with type slack is a slack channel).
  const inChannels = schemaPath.length === 2 && schemaPath[0] === 'alerts' && schemaPath[1] === 'channels'
  for (const [key, child] of Object.entries(raw)) {
    const type = inChannels && typeof child === 'object' && child !== null && typeof (child as {type?: unknown}).type === 'string' ? (child as {type: string}).type : key
    const schemaKey = inChannels ? type : key
    const base = key.endsWith('_file') ? key.slice(0, -'_file'.length) : undefined
    if (base && isSecret([...schemaPath, base]) && typeof child === 'string') {
      try {
        result[base] = readFileSync(child, 'utf8').trim()
      } catch (error) {
        throw new ConfigError([`${[...path, key].join('.')}: cannot read ${child}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`])
      }
      continue
    }
    result[key] = readSecretFiles(child, [...path, key], literal, [...schemaPath, schemaKey]).value
  }
  return {value: result, literal}
}

/**
 * Finds and loads the configuration (see findConfig for where it looks),
 * reads `<key>_file` secrets and validates it. Throws ConfigError (exit 2).
 */
export async function loadConfig({file, cwd = process.cwd(), env = process.env, home, systemFile}: {file?: string; cwd?: string; env?: Record<string, string | undefined>; home?: string; systemFile?: string} = {}): Promise<LoadedConfig> {
  const found = await findConfig({file, cwd, home, systemFile})
  if (!found) return {config: resolveConfig({}, env), warnings: []}
  const {value, literal} = readSecretFiles(found.raw)
  const warnings: string[] = []
  if (literal.length > 0 && (statSync(found.filepath).mode & 0o044) !== 0) {
    warnings.push(`${found.filepath} is readable by other users and holds a secret (${literal.join(', ')}): chmod 600 it, or use \${ENV} or <key>_file`)
  }
  return {config: resolveConfig(value, env, found.filepath), source: found.filepath, warnings}
}
