import {spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export const ROOT = join(__dirname, '..', '..')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  elapsedMs: number
}

/**
 * Runs the built CLI (bin/run.js) as a user would, in its own process; with
 * `atMs`, under libfaketime with the clock set there (in UTC; it ticks on).
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, input?: string, cwd = tmpdir(), atMs?: number): Promise<CliResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    // Every run gets its own state directory, so that no test writes to /var/lib/monitor or ~/.local.
    const fullEnv: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', MONITOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'monitor-state-')), ...env}
    delete fullEnv.NODE_EXTRA_CA_CERTS
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete fullEnv[key]
    const command = [process.execPath, join(ROOT, 'bin', 'run.js'), ...args]
    if (atMs !== undefined) fullEnv.TZ = 'UTC'
    const stamp = atMs === undefined ? '' : `@${new Date(atMs).toISOString().slice(0, 19).replace('T', ' ')}`
    const child = atMs === undefined ? spawn(command[0] as string, command.slice(1), {env: fullEnv as NodeJS.ProcessEnv, cwd}) : spawn('faketime', ['-f', stamp, ...command], {env: fullEnv as NodeJS.ProcessEnv, cwd})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr, elapsedMs: Date.now() - started}))
    child.stdin.end(input ?? '')
  })
}

/** Writes a configuration file in a fresh temporary directory and returns its path. */
export function writeConfig(text: string, name = 'monitor.config.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-config-'))
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
