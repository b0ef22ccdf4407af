import cpu from './collectors/cpu'
import diskio from './collectors/diskio'
import filesystem from './collectors/filesystem'
import host from './collectors/host'
import memory from './collectors/memory'
import network from './collectors/network'
import processes from './collectors/processes'
import sensors from './collectors/sensors'
import services from './collectors/services'
import system from './collectors/system'
import type {Collector} from './types'

/** Every collector, once. A test fails when a file in collectors/ is missing here. */
export const collectors: readonly Collector<never>[] = [cpu, memory, filesystem, network, diskio, system, processes, services, sensors, host] as Collector<never>[]
