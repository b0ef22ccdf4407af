import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {CoreSeries} from '../../src/report/model'
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
