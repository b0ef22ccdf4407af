import {readFileSync} from 'node:fs'

/**
 * The text of a file, or undefined when it does not exist or cannot be read
 * (no such hardware). Synchronous on purpose: /proc and /sys files are small
 * and never block, and a promise-based read costs four thread-pool round
 * trips per file (open, fstat, read, close) — most of `run --watch`'s CPU.
 * Returns a promise so that collectors keep one shape.
 */
export async function readText(path: string): Promise<string | undefined> {
  return readTextSync(path)
}

export function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Splits a whitespace-separated line into fields, ignoring leading blanks. */
export const fields = (line: string): string[] => line.trim().split(/\s+/)
