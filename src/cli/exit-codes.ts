/**
 * Exit codes of every `monitor` command. Documented in the README ("Exit codes")
 * and in each command's --help; scripts and systemd units depend on them.
 * `check --nagios` has its own codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 */
export const ExitCode = {
  ok: 0,
  /** A bug: an unexpected error. `--verbose` shows the stack trace. */
  internal: 1,
  /** Bad configuration or bad command-line usage; the message names the key or flag. */
  config: 2,
  /** Redis could not be reached or refused the command. */
  redis: 3,
  /** Redis was down; the sample was stored in the local spool and will be replayed. */
  spooled: 4,
  /** Another process of the same stage for the same host holds the lock. */
  locked: 5,
  /** Some notifications could not be delivered now; they wait in the outbox. */
  delivery: 6,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** What each exit code means, as --help and the man pages say it. */
export const EXIT_CODE_MEANINGS: Record<ExitCodeValue, string> = {
  0: 'success',
  1: 'internal error (a bug; run with --verbose for the stack trace)',
  2: 'configuration or usage error (the message names the key path or flag)',
  3: 'Redis unreachable or refused the command',
  4: 'Redis unreachable: the sample was kept in the local spool, to be replayed',
  5: 'another process of this stage holds the lock for this host',
  6: 'some notifications could not be delivered yet (they stay in the outbox)',
}

/** The EXIT CODES section of a command's --help: 0, 1 and 2, and the codes this command can return besides. */
export const exitCodesHelp = (...codes: ExitCodeValue[]): string =>
  `EXIT CODES\n${[0, 1, 2, ...codes].map((code) => `  ${code}  ${EXIT_CODE_MEANINGS[code as ExitCodeValue]}`).join('\n')}`

/** For the commands that only read or write Redis (3 is the one code they add). */
export const EXIT_CODES_HELP = exitCodesHelp(ExitCode.redis)
