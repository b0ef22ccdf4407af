#!/usr/bin/env node
// Writes man/monitor.1 and man/monitor-<command>.1 from the oclif manifest
// (the commands' own summaries, descriptions, flags and examples), so the man
// pages never drift from --help. Run by `npm run build`.
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

const root = new URL('..', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const date = '' // no build date: the committed pages must not change on every build
const dir = join(root, 'man')

/** Escapes text for roff: backslashes, and a leading dot or quote that would start a request. */
const roff = (text) => String(text).replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1')
const bin = (text) => String(text).replaceAll('<%= config.bin %>', 'monitor')
const pageName = (id) => `monitor-${id.replaceAll(':', '-').replaceAll(' ', '-')}`

function paragraphs(text) {
  return bin(text).split(/\n\n+/).map((block) => {
    if (/^[A-Z][A-Z ]+\n/.test(block)) {
      const [heading, ...lines] = block.split('\n')
      return `.SS ${roff(heading)}\n.nf\n${lines.map(roff).join('\n')}\n.fi`
    }
    return `.PP\n${roff(block)}`
  }).join('\n')
}

function flagLine(name, flag) {
  const short = flag.char ? `\\-${flag.char}, ` : ''
  const value = flag.type === 'option' ? ` \\fI${flag.options ? flag.options.join('|') : 'VALUE'}\\fR` : ''
  const extras = [flag.env && `env ${flag.env}`, flag.default !== undefined && flag.type === 'option' && `default ${[].concat(flag.default).join(', ')}`].filter(Boolean)
  return `.TP\n\\fB${short}\\-\\-${roff(name)}\\fR${value}\n${roff(flag.summary ?? flag.description ?? '')}${extras.length ? ` (${roff(extras.join('; '))})` : ''}`
}

function commandPage(command) {
  const id = command.id.replaceAll(':', ' ')
  const args = Object.values(command.args ?? {}).map((arg) => (arg.required ? ` ${arg.name.toUpperCase()}` : ` [${arg.name.toUpperCase()}]`)).join('')
  const flags = Object.entries(command.flags ?? {}).filter(([, flag]) => !flag.hidden)
  return `.TH ${pageName(command.id).toUpperCase()} 1 "${date}" "${pkg.name} ${pkg.version}" "monitor manual"
.SH NAME
${pageName(command.id)} \\- ${roff(command.summary ?? '')}
.SH SYNOPSIS
\\fBmonitor ${roff(id)}\\fR${roff(args)} [\\fIFLAGS\\fR]
.SH DESCRIPTION
${paragraphs(command.description ?? command.summary ?? '')}
${Object.keys(command.args ?? {}).length ? `.SH ARGUMENTS\n${Object.values(command.args).map((arg) => `.TP\n\\fB${arg.name.toUpperCase()}\\fR\n${roff(arg.description ?? '')}`).join('\n')}\n` : ''}.SH FLAGS
${flags.map(([name, flag]) => flagLine(name, flag)).join('\n')}
${command.examples?.length ? `.SH EXAMPLES\n.nf\n${command.examples.map((example) => roff(bin(typeof example === 'string' ? example : example.command))).join('\n')}\n.fi\n` : ''}.SH SEE ALSO
\\fBmonitor\\fR(1)
`
}

const commands = Object.values(manifest.commands).filter((command) => !command.hidden).sort((a, b) => a.id.localeCompare(b.id))
rmSync(dir, {recursive: true, force: true})
mkdirSync(dir, {recursive: true})
for (const command of commands) writeFileSync(join(dir, `${pageName(command.id)}.1`), commandPage(command))

// Every code any command returns, from the one table in the source (lib/ is built before this runs).
const {EXIT_CODE_MEANINGS} = createRequire(import.meta.url)('../lib/cli/exit-codes.js')
const exitCodes = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `${code}  ${meaning}`).join('\n')
writeFileSync(join(dir, 'monitor.1'), `.TH MONITOR 1 "${date}" "${pkg.name} ${pkg.version}" "monitor manual"
.SH NAME
monitor \\- ${roff(pkg.description)}
.SH SYNOPSIS
\\fBmonitor\\fR \\fICOMMAND\\fR [\\fIFLAGS\\fR]
.SH DESCRIPTION
.PP
Each stage of the pipeline is a command that runs once and exits, for cron or systemd timers; each reads and writes shared state in Redis, prints a table for people or JSON with \\fB\\-\\-json\\fR, and logs to stderr.
.SH COMMANDS
${commands.map((command) => `.TP\n\\fBmonitor ${roff(command.id.replaceAll(':', ' '))}\\fR\n${roff(command.summary ?? '')} See \\fB${pageName(command.id)}\\fR(1).`).join('\n')}
.SH CONFIGURATION
.PP
The first of: \\fB\\-\\-config\\fR \\fIFILE\\fR or \\fBMONITOR_CONFIG\\fR; in the current directory or a parent, monitor.config.yaml (or .yml, .json), .monitorrc (or .yaml, .yml, .json), or package.json with a "monitor" key; ~/.config/monitor/config.yaml (or .json); /etc/monitor/monitor.config.yaml. A JavaScript file runs only when named with \\fB\\-\\-config\\fR. Strings may use \\fB\${NAME}\\fR to read the environment. An invalid file exits 2 naming the key path.
.SH ENVIRONMENT
.TP
.B MONITOR_CONFIG
configuration file
.TP
.B MONITOR_REDIS_URL
Redis URL, overrides redis.url
.TP
.B MONITOR_HOST
host name to act for
.TP
.B MONITOR_STATE_DIR
local state and the spool of samples kept while Redis is down (default: state_dir, else /var/lib/monitor for root, ~/.local/state/monitor otherwise)
.TP
.B NO_COLOR
plain tables, no colours
.SH EXIT STATUS
.nf
${roff(exitCodes)}
.fi
`)
console.log(`man: wrote ${commands.length + 1} pages to man/`)
