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

require('@oclif/core/execute').execute({dir: __dirname, args: commandFirst(process.argv.slice(2))}).catch(require('@oclif/core/handle').handle)
