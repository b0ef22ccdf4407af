import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {evaluate} from '../../src/alert/check'
import type {AnalysisResult} from '../../src/analyze/types'
import {resolveConfig} from '../../src/config/resolve'
import {type RuleInput, rules, thresholdsOf} from '../../src/rules/rules'
import type {Sample} from '../../src/store/samples'

const T0 = 1_800_000_000_000
const sample = (tier: Sample['tier'], series: Record<string, number>, doc: Record<string, unknown> = {}): Sample => ({host: 'h', tier, atMs: T0, series, doc})
const observe = (input: Partial<RuleInput>) => rules.flatMap((rule) => rule.observe({host: 'h', config: resolveConfig({}, {}), samples: {}, ...input}))

describe('rules', () => {
  it('watches each mount, device and interface as its own alert, per-cpu series not at all', () => {
    const keys = observe({samples: {
      basic: sample('basic', {'cpu.percent': 10, 'cpu.percent{cpu="0"}': 99, 'disk.used_percent{mount="/"}': 50, 'disk.used_percent{mount="/srv"}': 60, 'net.utilization_percent{iface="eth0"}': 5, 'load.1': 9}),
      detailed: sample('detailed', {'disk.busy_percent{device="sda"}': 20, 'cpu.percent': 10}),
    }}).map((observation) => observation.key)
    assert.deepEqual(keys, ['h/cpu/cpu.percent', 'h/disk/disk.used_percent{mount="/"}', 'h/disk/disk.used_percent{mount="/srv"}', 'h/network/net.utilization_percent{iface="eth0"}', 'h/io/disk.busy_percent{device="sda"}'])
  })

  it('applies a per-series override on top of the resource levels', () => {
    const config = resolveConfig({thresholds: {overrides: {'disk.used_percent{mount="/backup"}': {warning: 95, error: 97, critical: 99}}}}, {})
    assert.deepEqual(thresholdsOf('disk.used_percent{mount="/backup"}', config)?.levels.map((level) => level.threshold), [95, 97, 99])
    assert.deepEqual(thresholdsOf('disk.used_percent{mount="/"}', config)?.levels.map((level) => level.threshold), [80, 90, 95])
  })

  it('fires a service alert per failed unit, limited to the configured units', () => {
    const extended = sample('extended', {}, {services: {failed: ['nginx.service', 'backup@nightly.service']}})
    assert.deepEqual(observe({samples: {extended}}).map((observation) => [observation.key, observation.severity]), [['h/service/nginx.service', 'error'], ['h/service/backup@nightly.service', 'error']])
    const limited = resolveConfig({rules: {service: {units: ['nginx.service']}}}, {})
    assert.deepEqual(rules.flatMap((rule) => rule.observe({host: 'h', config: limited, samples: {extended}})).map((observation) => observation.key), ['h/service/nginx.service'])
  })

  it('turns analysis findings into forecast and anomaly alerts', () => {
    const analysis: AnalysisResult = {
      host: 'h', at: new Date(T0).toISOString(), correlations: [], skipped: [],
      anomalies: [{series: 'cpu.percent', value: 97, mean: 20, std: 2, z: 38.5, method: 'zscore', baseline: 'period', points: 3, of: 5}],
      settling: ['memory.percent'],
      trends: [{series: 'disk.used_percent{mount="/"}', slope_per_hour: 30, r2: 0.99, forecast: 100, forecast_range: [95, 105], horizon_s: 3600, window_s: 3600, points: 360, crossings: [
        {severity: 'warning', threshold: 80, in_s: 1200, in_s_range: [1100, 1300]},
        {severity: 'error', threshold: 90, in_s: 2400, in_s_range: [2300, 2500]},
      ]}],
    }
    const found = observe({analysis}).map((observation) => [observation.key, observation.severity, observation.summary])
    assert.deepEqual(found, [
      ['h/forecast/disk.used_percent{mount="/"}', 'error', 'disk.used_percent{mount="/"} will cross error (90) in 40 min'],
      ['h/anomaly/cpu.percent', 'info', 'cpu.percent = 97.0 % is 38.5σ above normal (3 of the last 5 values)'],
      ['h/anomaly/memory.percent', null, 'memory.percent settling'],
    ])
  })

  it('keeps an alert without a value (stale sample, series absent) until absent_after, then ends it saying so', () => {
    const config = resolveConfig({}, {})
    const fired = evaluate('h', {host: 'h', config, samples: {basic: sample('basic', {'memory.percent': 90})}}, new Map(), T0, 100_000)
    assert.deepEqual(fired.events.map((event) => event.kind), ['firing'])
    const stale = evaluate('h', {host: 'h', config, samples: {}}, fired.states, T0 + 60_000, 100_000)
    assert.deepEqual(stale.events, [])
    assert.equal(stale.states.size, 1)
    const absent = evaluate('h', {host: 'h', config, samples: {basic: sample('basic', {'cpu.percent': 5})}}, stale.states, T0 + 70_000, 100_000)
    assert.deepEqual(absent.events, [], 'a sample without the series is no value, not a resolution')
    const gone = evaluate('h', {host: 'h', config, samples: {basic: sample('basic', {'cpu.percent': 5})}}, absent.states, T0 + 160_000, 100_000)
    assert.deepEqual(gone.events.map((event) => [event.kind, event.message]), [['resolved', 'memory.percent not reported for 1 min 40 s']])
  })

  it('keeps a failed unit alert when systemctl could not be asked, and resolves it when the unit is no longer failed', () => {
    const config = resolveConfig({}, {})
    const units = (failed: unknown) => ({host: 'h', config, samples: {extended: {...sample('extended', {}), doc: {services: failed === undefined ? undefined : {failed}}}}})
    const fired = evaluate('h', units(['nginx.service']), new Map(), T0, 100_000)
    assert.deepEqual(fired.events.map((event) => [event.kind, event.key]), [['firing', 'h/service/nginx.service']])
    assert.deepEqual(evaluate('h', units(undefined), fired.states, T0 + 300_000, 100_000).events, [], 'a failed probe is no value')
    const fixed = evaluate('h', units([]), fired.states, T0 + 300_000, 100_000)
    assert.deepEqual(fixed.events.map((event) => [event.kind, event.message]), [['resolved', 'nginx.service failed — cleared']])
  })
})
