import {readdir} from 'node:fs/promises'

import {readText} from '../read-file'
import {put, type Series, seriesName} from '../series'
import {defineCollector} from '../types'

export interface SensorsRaw {
  temperatures: {chip: string; sensor: string; celsius: number}[]
  fans: {chip: string; sensor: string; rpm: number}[]
  batteries: {name: string; percent?: number; status?: string}[]
}

const list = (path: string) => readdir(path).catch(() => [] as string[])
const number = async (path: string) => {
  const value = Number((await readText(path))?.trim())
  return Number.isFinite(value) ? value : undefined
}

/** Reads hwmon temperatures and fans and power_supply batteries from a sysfs tree. */
export async function readSensors(sysRoot: string): Promise<SensorsRaw> {
  const raw: SensorsRaw = {temperatures: [], fans: [], batteries: []}
  for (const hwmon of await list(`${sysRoot}/class/hwmon`)) {
    const base = `${sysRoot}/class/hwmon/${hwmon}`
    const chip = (await readText(`${base}/name`))?.trim() || hwmon
    for (const file of await list(base)) {
      const match = /^(temp|fan)(\d+)_input$/.exec(file)
      if (!match) continue
      const value = await number(`${base}/${file}`)
      if (value === undefined) continue
      const sensor = (await readText(`${base}/${match[1]}${match[2]}_label`))?.trim() || `${match[1]}${match[2]}`
      if (match[1] === 'temp') raw.temperatures.push({chip, sensor, celsius: value / 1000})
      else raw.fans.push({chip, sensor, rpm: value})
    }
  }
  for (const supply of await list(`${sysRoot}/class/power_supply`)) {
    const base = `${sysRoot}/class/power_supply/${supply}`
    if ((await readText(`${base}/type`))?.trim() !== 'Battery') continue
    raw.batteries.push({name: supply, percent: await number(`${base}/capacity`), status: (await readText(`${base}/status`))?.trim()})
  }
  return raw
}

export default defineCollector<SensorsRaw>({
  name: 'sensors',
  tiers: ['extended'],
  read: ({sysRoot}) => readSensors(sysRoot),
  toSeries(raw) {
    const series: Series = {}
    for (const {chip, sensor, celsius} of raw.temperatures) put(series, seriesName('sensor.temperature_celsius', {chip, sensor}), celsius)
    for (const {chip, sensor, rpm} of raw.fans) put(series, seriesName('sensor.fan_rpm', {chip, sensor}), rpm)
    for (const {name, percent, status} of raw.batteries) {
      put(series, seriesName('battery.percent', {battery: name}), percent)
      if (status) put(series, seriesName('battery.charging', {battery: name}), status === 'Charging' || status === 'Full' ? 1 : 0)
    }
    // The readings are series already: no doc copy (it would cost a week of snapshots in Redis).
    return {series}
  },
})
