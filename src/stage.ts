import type {Redis} from 'ioredis'

import type {Logger} from './cli/log'
import type {Config} from './config/schema'
import type {Keys} from './store/keys'

/** What every stage function (check, alert, analyze, run) is called with. */
export interface StageOptions {
  redis: Redis
  keys: Keys
  host: string
  config: Config
  log: Logger
  /** The clock, injected by tests; Date.now otherwise. */
  now?: () => number
}
