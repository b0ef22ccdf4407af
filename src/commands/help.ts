import {Command} from '@oclif/core/command'

/** `monitor help [COMMAND…]`: the same text as `monitor COMMAND --help`. */
export default class HelpCommand extends Command {
  static override summary = 'Show the help of monitor or of one command (the same as COMMAND --help).'
  static override strict = false
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help alerts ack']

  public async run(): Promise<void> {
    const {argv} = await this.parse(HelpCommand)
    const {loadHelpClass} = await import('@oclif/core/help')
    const Help = await loadHelpClass(this.config)
    await new Help(this.config).showHelp(argv as string[])
  }
}
