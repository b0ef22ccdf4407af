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

export const EXIT_CODES_HELP = `EXIT CODES
  0  success
  1  internal error (a bug; run with --verbose for the stack trace)
  2  configuration or usage error (the message names the key path or flag)
  3  Redis unreachable or refused the command
  4  Redis unreachable: the sample was kept in the local spool, to be replayed
  5  another process of this stage holds the lock for this host`
