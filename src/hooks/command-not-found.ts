import type {Hook} from '@oclif/core/hooks'

import {ExitCode} from '../cli/exit-codes'

/** Edit distance between two words (insertions, deletions, substitutions). Pure. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_value, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length] as number
}

/** The command a mistyped one most likely meant, if any is close enough. Pure. */
export function closestCommand(typed: string, commands: readonly string[]): string | undefined {
  const ranked = commands.map((command) => ({command, distance: editDistance(typed, command)})).sort((a, b) => a.distance - b.distance)
  const best = ranked[0]
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.command : undefined
}

/** An unknown command ("alerts lst"): one line naming it, a suggestion when one is close, exit 2. */
export function reportUnknown(typed: string, commandIds: readonly string[]): void {
  const suggestion = closestCommand(typed.replace(/ /g, ':'), commandIds)
  const hint = suggestion ? `; did you mean "monitor ${suggestion.replace(/:/g, ' ')}"?` : ''
  process.stderr.write(`monitor: no command "${typed}"${hint} (monitor --help lists them)\n`)
  process.exitCode = ExitCode.config
}

const hook: Hook.CommandNotFound = async function ({id}) {
  reportUnknown(id.replace(/:/g, ' '), this.config.commandIDs)
}

export default hook
