import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, extname, join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {ConfigError} from '../cli/errors'

/** Where a system-wide installation keeps its configuration, searched last. */
export const SYSTEM_CONFIG_FILE = '/etc/monitor/monitor.config.yaml'

/** The names searched in the current directory and each parent, in this order. */
export const SEARCHED_NAMES = ['monitor.config.yaml', 'monitor.config.yml', 'monitor.config.json', '.monitorrc', '.monitorrc.yaml', '.monitorrc.yml', '.monitorrc.json', 'package.json'] as const

/** The per-user places, searched after the directories. */
export const userConfigFiles = (home = homedir()): string[] => [join(home, '.config', 'monitor', 'config.yaml'), join(home, '.config', 'monitor', 'config.json')]

/**
 * The configuration file to use and its raw content, or undefined when
 * there is none (the defaults apply). `file` (--config, MONITOR_CONFIG) wins;
 * then, from `cwd` up to the root, the first of SEARCHED_NAMES (a
 * package.json counts only with a "monitor" key); then ~/.config/monitor/;
 * then /etc/monitor/monitor.config.yaml. A searched file is data: a
 * JavaScript configuration runs only when named with --config.
 * Throws ConfigError naming the file, line and column of a syntax error.
 */
export async function findConfig({file, cwd, home, systemFile = SYSTEM_CONFIG_FILE}: {file?: string; cwd: string; home?: string; systemFile?: string}): Promise<{filepath: string; raw: unknown} | undefined> {
  if (file) {
    const filepath = resolve(cwd, file)
    if (!existsSync(filepath)) throw new ConfigError([`${file}: no such configuration file`])
    if (['.js', '.cjs', '.mjs'].includes(extname(filepath))) return {filepath, raw: await loadScript(filepath)}
    return {filepath, raw: readData(filepath)}
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of SEARCHED_NAMES) {
      const filepath = join(dir, name)
      if (!existsSync(filepath)) continue
      if (name !== 'package.json') return {filepath, raw: readData(filepath)}
      const manifest = readData(filepath) as Record<string, unknown> | null
      if (manifest && typeof manifest === 'object' && manifest.monitor !== undefined) return {filepath, raw: manifest.monitor}
    }
    if (dirname(dir) === dir) break
  }
  for (const filepath of [...userConfigFiles(home), systemFile]) if (existsSync(filepath)) return {filepath, raw: readData(filepath)}
  return undefined
}

/** Reads a YAML or JSON file (JSON is YAML too, but its errors read better from JSON.parse). */
function readData(filepath: string): unknown {
  let text: string
  try {
    text = readFileSync(filepath, 'utf8')
  } catch (error) {
    throw new ConfigError([`cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`], filepath)
  }
  if (text.trim() === '') return {}
  if (extname(filepath) === '.json') return parseJson(text, filepath)
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a YAML file is read
  const {LineCounter, parseDocument} = require('yaml') as typeof import('yaml')
  const lineCounter = new LineCounter()
  const document = parseDocument(text, {prettyErrors: false, uniqueKeys: true, lineCounter})
  const [problem] = document.errors
  if (problem) {
    const {line, col} = lineCounter.linePos(problem.pos[0])
    throw new ConfigError([`line ${line}, column ${col}: ${problem.message.replace(/ at line \d+, column \d+.*$/s, '')}`], filepath)
  }
  return document.toJS()
}

function parseJson(text: string, filepath: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    // V8 says "… at position N" (Node 20) or "(line L column C)" (Node 22+): give a line and column either way.
    const message = (error as Error).message
    const at = /position (\d+)/.exec(message)
    const lineColumn = /line (\d+) column (\d+)/.exec(message)
    const before = at ? text.slice(0, Number(at[1])) : undefined
    const where = lineColumn ? `line ${lineColumn[1]}, column ${lineColumn[2]}` : before !== undefined ? `line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}` : 'syntax'
    throw new ConfigError([`${where}: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '')}`], filepath)
  }
}

async function loadScript(filepath: string): Promise<unknown> {
  try {
    const loaded = (await import(pathToFileURL(filepath).href)) as {default?: unknown}
    return loaded.default ?? loaded
  } catch (error) {
    throw new ConfigError([`cannot load it: ${(error as Error).message.split('\n')[0]}`], filepath)
  }
}
