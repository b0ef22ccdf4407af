import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {resolveConfig} from '../../src/config/resolve'
import {assembleHost} from '../../src/report/build'
import type {CoreSeries} from '../../src/report/model'
import type {Sample} from '../../src/store/samples'
import {svgChart} from '../../src/report/render/html'

const disk = (points: [number, number][]): CoreSeries => ({
  series: 'disk.used_percent{mount="/"}',
  now: points.at(-1)?.[1] ?? null,
  status: 'ok',
  levels: {warning: 80, error: 90, critical: 95},
  stats: {min: null, avg: null, p95: null, max: null, count: points.length},
  points,
})

describe('report charts', () => {
  it('keeps the names of close threshold levels apart', () => {
    const svg = svgChart(disk([[0, 50], [1000, 60]]), 0, 1000)
    const labels = [...svg.matchAll(/<text [^>]*y="([\d.]+)"[^>]*>(warning|error|critical) \d+<\/text>/g)].map((match) => ({y: Number(match[1]), name: match[2]}))
    assert.deepEqual(labels.map((label) => label.name), ['critical', 'error', 'warning'])
    // The plot is 114 units high for 0–100 %: 90 and 95 are 5.7 units apart, closer than a 9-unit font.
    for (let index = 1; index < labels.length; index++) assert.ok(labels[index]!.y - labels[index - 1]!.y >= 10, JSON.stringify(labels))
  })

  it('draws a single sample as a dot, and says when there is no data', () => {
    assert.match(svgChart(disk([[500, 40]]), 0, 1000), /<circle cx="[\d.]+" cy="[\d.]+" r="2.5"/)
    assert.doesNotMatch(svgChart(disk([[0, 40], [1000, 41]]), 0, 1000), /<circle/)
    assert.match(svgChart(disk([]), 0, 1000), /no data in the period/)
  })
})

describe('report sections', () => {
  it('lists the core series in a fixed order, whatever order the samples had', () => {
    const newest: Sample[] = [
      {host: 'nas', tier: 'detailed', atMs: 1000, series: {'load.1': 0.5, 'swap.percent': 1, 'disk.used_percent{mount="/srv"}': 40, 'disk.used_percent{mount="/"}': 30}, doc: {}},
      {host: 'nas', tier: 'basic', atMs: 2000, series: {'memory.percent': 50, 'cpu.percent': 12, 'net.utilization_percent{iface="eth0"}': 3}, doc: {}},
    ]
    const host = assembleHost({host: 'nas', meta: {}, newest, period: {times: new Float64Array(0), series: new Map()}, analysis: undefined, alerts: [], log: [], lastSeenMs: 2000}, resolveConfig({}, {}))
    assert.deepEqual(host.core.map((core) => core.series), ['cpu.percent', 'memory.percent', 'disk.used_percent{mount="/"}', 'disk.used_percent{mount="/srv"}', 'net.utilization_percent{iface="eth0"}', 'load.1', 'swap.percent'])
  })
})
