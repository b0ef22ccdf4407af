#!/usr/bin/env node
// CommonJS on purpose: `require` loads the CLI ~1.5x faster than ESM `import`,
// and this process starts every 10 seconds. Subpaths rather than the package
// index, which would load all of oclif (~24 ms CPU more per start).

// Global flags may come before the command (`monitor --host web1 collect`):
// oclif wants the command first, so they move behind it.
const WITH_VALUE = new Set(['--config', '-c', '--redis-url', '--host', '--state-dir'])
const SWITCHES = new Set(['--verbose', '-v', '--quiet', '-q', '--json'])
function commandFirst(argv) {
  const leading = []
  let index = 0
  while (index < argv.length) {
    const [name] = argv[index].split('=')
    const width = WITH_VALUE.has(name) ? (argv[index].includes('=') ? 1 : 2) : SWITCHES.has(argv[index]) ? 1 : 0
    if (width === 0) break
    leading.push(...argv.slice(index, index + width))
    index += width
  }
  return leading.length === 0 || index >= argv.length ? argv : [...argv.slice(index), ...leading]
}

/** The words before the first flag, when they name no command: for `monitor colect --help`, which oclif answers in its own format. */
function unknownWithHelp(args) {
  if (!args.includes('--help') && !args.includes('-h')) return undefined
  const words = []
  for (const arg of args) {
    if (arg.startsWith('-')) break
    words.push(arg)
  }
  if (words.length === 0) return undefined
  const id = words.join(':')
  const ids = Object.keys(require('../oclif.manifest.json').commands)
  return ids.some((known) => known === id || known.startsWith(`${id}:`) || id.startsWith(`${known}:`)) ? undefined : words
}

const args = commandFirst(process.argv.slice(2))
const unknown = unknownWithHelp(args)
if (unknown) require('../lib/hooks/command-not-found').reportUnknown(unknown.join(' '), Object.keys(require('../oclif.manifest.json').commands))
else require('@oclif/core/execute').execute({dir: __dirname, args}).catch(require('@oclif/core/handle').handle)
