import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseSeriesName, seriesName} from '../../src/collect/series'

describe('series names', () => {
  it('writes a metric without labels as itself', () => {
    assert.equal(seriesName('cpu.percent'), 'cpu.percent')
  })
  it('writes labels in the Prometheus form', () => {
    assert.equal(seriesName('disk.used_percent', {mount: '/'}), 'disk.used_percent{mount="/"}')
  })
  it('escapes quotes, backslashes and newlines in label values and reads them back', () => {
    const odd = 'we"ird\\name\nx'
    const name = seriesName('net.rx_bytes', {iface: odd})
    assert.equal(name, 'net.rx_bytes{iface="we\\"ird\\\\name\\nx"}')
    assert.deepEqual(parseSeriesName(name), {metric: 'net.rx_bytes', labels: {iface: odd}})
  })
  it('parses several labels', () => {
    assert.deepEqual(parseSeriesName('sensor.temperature_celsius{chip="coretemp",sensor="Core 0"}'), {
      metric: 'sensor.temperature_celsius',
      labels: {chip: 'coretemp', sensor: 'Core 0'},
    })
  })
})
