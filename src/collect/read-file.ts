import {readFile} from 'node:fs/promises'

/** The text of a file, or undefined when it does not exist or cannot be read (no such hardware). */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Splits a whitespace-separated line into fields, ignoring leading blanks. */
export const fields = (line: string): string[] => line.trim().split(/\s+/)
