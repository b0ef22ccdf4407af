import {readFileSync, statSync} from 'node:fs'

import {ConfigError} from '../cli/errors'
import {findConfig} from './find'
import {resolveConfig} from './resolve'
import {type Config, configSchema} from './schema'
import {childNode, type Node, type SecretKind, secretOf} from './schema-dsl'

export interface LoadedConfig {
  config: Config
  /** The file it came from, or undefined when only the defaults apply. */
  source?: string
  /** Things worth a warning (a file others can read that holds a secret). */
  warnings: string[]
}

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
export function readSecretFiles(raw: unknown, node: Node | undefined = configSchema, path: string[] = [], literal: string[] = []): {value: unknown; literal: string[]} {
  if (Array.isArray(raw)) return {value: raw.map((item, index) => readSecretFiles(item, childNode(node, String(index), item), [...path, String(index)], literal).value), literal}
  if (typeof raw !== 'object' || raw === null) {
    const kind = secretOf(node)
    if (typeof raw === 'string' && raw !== '' && kind && !/\$\{[A-Za-z_]/.test(raw) && holdsSecret(kind, raw)) literal.push(path.join('.'))
    return {value: raw, literal}
  }
  const result: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(raw)) {
    // A named channel's fields are those of its type: childNode picks the variant (alerts.channels.oncall with type slack).
    const base = key.endsWith('_file') ? key.slice(0, -'_file'.length) : undefined
    if (base && secretOf(childNode(node, base, raw)) && typeof child === 'string') {
      try {
        result[base] = readFileSync(child, 'utf8').trim()
      } catch (error) {
        throw new ConfigError([`${[...path, key].join('.')}: cannot read ${child}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`])
      }
      continue
    }
    result[key] = readSecretFiles(child, childNode(node, key, child), [...path, key], literal).value
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
