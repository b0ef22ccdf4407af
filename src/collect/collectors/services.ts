import {execFile} from 'node:child_process'

import {put, type Series} from '../series'
import {defineCollector} from '../types'

export interface UnitState {
  unit: string
  load: string
  active: string
  sub: string
}

/** Parses `systemctl list-units --plain --no-legend` output. Pure. */
export function parseListUnits(text: string): UnitState[] {
  return text.split('\n').flatMap((line) => {
    const [unit, load, active, sub] = line.replace(/^[●*×\s]+/u, '').trim().split(/\s+/)
    if (!unit || !load || !active || !sub || !unit.endsWith('.service')) return []
    return [{unit, load, active, sub}]
  })
}

/**
 * Runs systemctl with an argument array (never through a shell: unit names
 * are data). Resolves undefined when systemd is not there or does not answer.
 */
function listUnits(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('systemctl', ['list-units', '--type=service', '--all', '--plain', '--no-legend', '--no-pager'], {timeout: 5000, maxBuffer: 8 * 1024 * 1024}, (error, stdout) => {
      resolve(error ? undefined : stdout)
    })
  })
}

export default defineCollector<UnitState[]>({
  name: 'services',
  tiers: ['extended'],
  async read({config}) {
    if (!config.monitoring.services.enabled) return undefined
    const text = await listUnits()
    return text === undefined ? undefined : parseListUnits(text)
  },
  toSeries(units) {
    const series: Series = {}
    const count = (active: string) => units.filter((unit) => unit.active === active).length
    put(series, 'services.total', units.length)
    put(series, 'services.active', count('active'))
    put(series, 'services.failed', count('failed'))
    put(series, 'services.inactive', count('inactive'))
    return {series, doc: {services: {failed: units.filter((unit) => unit.active === 'failed').map((unit) => unit.unit)}}}
  },
})
