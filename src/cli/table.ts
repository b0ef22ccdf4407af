import type Table from 'cli-table3'

/**
 * A cli-table3 table, plain (no colour, no box-drawing colour codes) when
 * stdout is not a terminal or NO_COLOR is set. cli-table3 is loaded here
 * only, so --json runs never pay for it.
 */
export function makeTable(head: string[], options: {alignRight?: number[]} = {}): Table.Table {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only table output needs it
  const CliTable = require('cli-table3') as typeof Table
  const plain = !process.stdout.isTTY || process.env.NO_COLOR !== undefined
  return new CliTable({
    head,
    style: plain ? {head: [], border: []} : {head: ['cyan'], border: ['grey']},
    // No rule between rows: a sample has dozens of series and should fit a screen.
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
    colAligns: head.map((_h, index) => (options.alignRight?.includes(index) ? 'right' : 'left')),
  })
}
