import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import type {Tier} from '../config/schema'
import type {Sample} from '../store/samples'
import type {PreviousReading} from './rates'

/** One collection that could not reach Redis: its samples and the counters to keep. */
export interface SpoolEntry {
  version: 1
  host: string
  atMs: number
  samples: Sample[]
  counters: Partial<Record<Tier, PreviousReading>>
}

/**
 * The state directory: --state-dir / MONITOR_STATE_DIR, then config
 * state_dir, else /var/lib/monitor for root and $XDG_STATE_HOME/monitor
 * (~/.local/state/monitor) for anyone else.
 */
export function stateDir(configured: string | undefined): string {
  if (configured) return configured
  if (process.getuid?.() === 0) return '/var/lib/monitor'
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'monitor')
}

const ENTRY = /^\d{15}-.+\.json$/

/**
 * A bounded local queue of samples in `<state dir>/spool/`, one file per
 * entry. A file is written under a temporary name and renamed into place, so
 * a crash mid-write never leaves a torn entry or touches earlier ones; a
 * replaying process renames a file to claim it, so two processes never replay
 * the same entry. When full, the oldest entries are dropped (and counted).
 */
export class Spool {
  readonly dir: string

  constructor(stateDirectory: string, private readonly maxEntries: number) {
    this.dir = join(stateDirectory, 'spool')
  }

  private entries(): string[] {
    try {
      return readdirSync(this.dir).filter((name) => ENTRY.test(name)).sort()
    } catch {
      return []
    }
  }

  get size(): number {
    return this.entries().length
  }

  /** Adds an entry; returns how many old entries were dropped to stay within the bound. */
  append(entry: SpoolEntry): {dropped: number; size: number} {
    mkdirSync(this.dir, {recursive: true, mode: 0o700})
    const name = `${String(entry.atMs).padStart(15, '0')}-${entry.host}-${process.pid}-${randomBytes(4).toString('hex')}.json`
    const temporary = join(this.dir, `.${name}.tmp`)
    writeFileSync(temporary, JSON.stringify(entry), {mode: 0o600})
    renameSync(temporary, join(this.dir, name))
    const all = this.entries()
    const excess = all.slice(0, Math.max(0, all.length - this.maxEntries))
    for (const name of excess) rmSync(join(this.dir, name), {force: true})
    return {dropped: excess.length, size: all.length - excess.length}
  }

  /**
   * Takes every entry, oldest first, renaming each to claim it. Returns the
   * parsed entries and the files that were not valid entries (moved to
   * spool/corrupt/ so that nothing is lost without a trace).
   */
  claim(): {claimed: {file: string; entry: SpoolEntry}[]; corrupt: string[]} {
    const claimed: {file: string; entry: SpoolEntry}[] = []
    const corrupt: string[] = []
    for (const name of this.entries()) {
      const file = join(this.dir, `${name}.claimed-${process.pid}`)
      try {
        renameSync(join(this.dir, name), file)
      } catch {
        continue // another process claimed it
      }
      try {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as SpoolEntry
        if (entry.version !== 1 || typeof entry.atMs !== 'number' || !Array.isArray(entry.samples)) throw new Error('not a spool entry')
        claimed.push({file, entry})
      } catch {
        mkdirSync(join(this.dir, 'corrupt'), {recursive: true})
        renameSync(file, join(this.dir, 'corrupt', name))
        corrupt.push(name)
      }
    }
    return {claimed, corrupt}
  }

  /** The entry is in Redis: forget it. */
  done(file: string): void {
    rmSync(file, {force: true})
  }

  /** Replay failed: put the entry back as it was. */
  release(file: string): void {
    renameSync(file, file.replace(/\.claimed-\d+$/, ''))
  }

  private countersFile(host: string): string {
    return join(this.dir, `counters-${host}`)
  }

  /** The counters of the last spooled collection, so that rates go on while Redis is down. */
  lastCounters(host: string): Partial<Record<Tier, PreviousReading>> {
    try {
      return JSON.parse(readFileSync(this.countersFile(host), 'utf8')) as Partial<Record<Tier, PreviousReading>>
    } catch {
      return {}
    }
  }

  saveCounters(host: string, counters: Partial<Record<Tier, PreviousReading>>): void {
    const merged = {...this.lastCounters(host), ...counters}
    const temporary = `${this.countersFile(host)}.tmp-${process.pid}`
    writeFileSync(temporary, JSON.stringify(merged), {mode: 0o600})
    renameSync(temporary, this.countersFile(host))
  }

  forgetCounters(host: string): void {
    rmSync(this.countersFile(host), {force: true})
  }
}
