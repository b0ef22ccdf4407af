import {existsSync} from 'node:fs'

import {cosmiconfig} from 'cosmiconfig'

import {ConfigError} from '../cli/errors'
import {resolveConfig} from './resolve'
import type {Config} from './schema'

/** Where a system-wide installation keeps its configuration when none is found by search. */
export const SYSTEM_CONFIG_FILE = '/etc/monitor/monitor.config.yaml'

export interface LoadedConfig {
  config: Config
  /** The file it came from, or undefined when only the defaults apply. */
  source?: string
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
  if (!found) return {config: resolveConfig({}, env)}
  return {config: resolveConfig(found.config, env, found.filepath), source: found.filepath}
}
