import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import sensors, {readSensors} from '../../../src/collect/collectors/sensors'
import {context, FIXTURES} from './fixtures'

describe('sensors collector', () => {
  it('reads hwmon temperatures, fans and batteries from sysfs', async () => {
    const raw = await readSensors(join(FIXTURES, 'host-a', 'sys'))
    const {series} = sensors.toSeries(raw, context('extended'))
    assert.equal(series['sensor.temperature_celsius{chip="coretemp",sensor="Package id 0"}'], 45)
    assert.equal(series['sensor.temperature_celsius{chip="coretemp",sensor="temp2"}'], 43.5)
    assert.equal(series['sensor.fan_rpm{chip="nct6775",sensor="fan1"}'], 1200)
    assert.equal(series['battery.percent{battery="BAT0"}'], 87)
    assert.equal(series['battery.charging{battery="BAT0"}'], 0)
  })

  it('finds nothing, without error, on a host with no sensors', async () => {
    const raw = await readSensors('/nonexistent')
    assert.deepEqual(sensors.toSeries(raw, context('extended')).series, {})
  })
})
