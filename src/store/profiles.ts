import type {ChainableCommander, Redis} from 'ioredis'

import type {Keys} from './keys'

/** The daily profiles of a host's series and the newest extended sample they were made from. */
export interface StoredProfiles {
  /** The time (ms) of the newest sample they include. */
  through: number
  profiles: Map<string, Float64Array>
}

const THROUGH = 'through'

/**
 * The daily profiles the last analysis stored, or undefined when there are
 * none or they are not readable (then they are made again).
 */
export async function readProfiles(redis: Redis, keys: Keys, host: string): Promise<StoredProfiles | undefined> {
  const fields = await redis.hgetallBuffer(keys.analysisProfile(host))
  const through = Number(fields[THROUGH]?.toString())
  if (!Number.isFinite(through)) return undefined
  const profiles = new Map<string, Float64Array>()
  for (const [series, packed] of Object.entries(fields)) {
    if (series === THROUGH) continue
    if (packed.length === 0 || packed.length % Float64Array.BYTES_PER_ELEMENT !== 0) return undefined
    // A copy: the buffer's own memory may not be aligned for a Float64Array view.
    profiles.set(series, new Float64Array(Uint8Array.from(packed).buffer))
  }
  return {through, profiles}
}

/** Replaces the stored profiles, in the caller's MULTI. */
export function writeProfiles(multi: ChainableCommander, keys: Keys, host: string, {through, profiles}: StoredProfiles): ChainableCommander {
  const key = keys.analysisProfile(host)
  const packed = [...profiles].flatMap(([series, profile]) => [series, Buffer.from(profile.buffer, profile.byteOffset, profile.byteLength)])
  return multi.del(key).hset(key, THROUGH, String(through), ...packed)
}
