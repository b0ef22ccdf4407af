import {Command} from '@oclif/core/command'

import {reportUnknown} from '../hooks/command-not-found'

/** `monitor help [COMMAND…]`: the same text as `monitor COMMAND --help`. */
export default class HelpCommand extends Command {
  static override summary = 'Show the help of monitor or of one command (the same as COMMAND --help).'
  static override strict = false
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help alerts ack']

  public async run(): Promise<void> {
    // The words before any flag name the command; flags (a --redis-url from habit) are ignored.
    const firstFlag = this.argv.findIndex((arg) => arg.startsWith('-'))
    const argv = firstFlag < 0 ? this.argv : this.argv.slice(0, firstFlag)
    const id = argv.join(':')
    const known = this.config.commandIDs.some((command) => command === id || command.startsWith(`${id}:`))
    if (id && !known) return reportUnknown(argv.join(' '), this.config.commandIDs)
    const {loadHelpClass} = await import('@oclif/core/help')
    const Help = await loadHelpClass(this.config)
    await new Help(this.config).showHelp(argv)
  }
}
