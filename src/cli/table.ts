import type Table from 'cli-table3'

/** Whether output to stdout may be coloured: a terminal, and NO_COLOR not set. */
export const colourOn = (): boolean => Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined

/** ANSI colours of severities and statuses, as the HTML report's badges: red, yellow, green. */
const COLOURS: Record<string, string> = {critical: '1;31', error: '31', warning: '33', info: '36', ok: '32', resolved: '32', up: '32', stale: '33', silent: '31', unknown: '90'}

/** A severity or status word, coloured when `colour` (a terminal by default). Pure given `colour`. */
export function paint(word: string, colour = colourOn()): string {
  const code = COLOURS[word]
  return colour && code ? `\x1b[${code}m${word}\x1b[0m` : word
}

/**
 * A cli-table3 table, plain (no colour, no box-drawing colour codes) when
 * stdout is not a terminal, NO_COLOR is set, or `colour` is false (a file).
 * cli-table3 is loaded here only, so --json runs never pay for it.
 */
export function makeTable(head: string[], options: {alignRight?: number[]; colour?: boolean} = {}): Table.Table {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only table output needs it
  const CliTable = require('cli-table3') as typeof Table
  const plain = !(options.colour ?? colourOn())
  return new CliTable({
    head,
    style: plain ? {head: [], border: []} : {head: ['cyan'], border: ['grey']},
    // No rule between rows: a sample has dozens of series and should fit a screen.
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
    colAligns: head.map((_h, index) => (options.alignRight?.includes(index) ? 'right' : 'left')),
  })
}
