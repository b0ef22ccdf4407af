import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {defaults} from '../../../src/config/defaults'
import type {Config, Tier} from '../../../src/config/schema'
import type {SeriesContext} from '../../../src/collect/types'

export const FIXTURES = join(__dirname, '..', '..', 'fixtures')
export const fixture = (...path: string[]): string => readFileSync(join(FIXTURES, ...path), 'utf8')
export const hostA = (path: string): string => fixture('host-a', path)
export const hostALater = (path: string): string => fixture('host-a-later', path)

export function context(tier: Tier, options: Partial<SeriesContext> = {}, config: Config = defaults): SeriesContext {
  return {tier, config, previous: {}, ...options}
}
