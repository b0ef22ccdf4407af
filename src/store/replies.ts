import type {Logger} from '../cli/log'

/** True for Redis' answer to a command on a key of another type. */
export const isWrongType = (error: unknown): boolean => error instanceof Error && error.message.startsWith('WRONGTYPE')

/**
 * The value of one pipeline reply. A key of the wrong type (someone else's
 * data, a hand-made mistake) is skipped with one warning naming it, and
 * `fallback` stands in; any other error is thrown.
 */
export function replyValue<T>(reply: [Error | null, unknown] | undefined, key: string, log: Logger, fallback: T): T {
  const [error, value] = reply ?? [null, undefined]
  if (error) {
    if (!isWrongType(error)) throw error
    log.warn(`skipped ${key}: it holds another type of data than monitor expects`)
    return fallback
  }
  return (value ?? fallback) as T
}

/** Runs a single read, treating a key of the wrong type as empty (with a warning). */
export async function orEmpty<T>(read: Promise<T>, key: string, log: Logger | undefined, fallback: T): Promise<T> {
  try {
    return await read
  } catch (error) {
    if (!isWrongType(error)) throw error
    log?.warn(`skipped ${key}: it holds another type of data than monitor expects`)
    return fallback
  }
}

/** A promise's outcome as a pipeline reply ([error, value]), for replyValue over concurrent single commands. */
export const settle = (promise: Promise<unknown>): Promise<[Error | null, unknown]> =>
  promise.then((value): [Error | null, unknown] => [null, value], (error: Error): [Error | null, unknown] => [error, null])
