import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {decodeEntry, encodeFields} from '../../src/store/samples'
import {keysFor} from '../../src/store/keys'

describe('sample encoding', () => {
  it('round-trips series and doc through stream fields', () => {
    const flat = encodeFields({series: {'cpu.percent': 12.3456, 'disk.used_percent{mount="/"}': 50}, doc: {partitions: [{mount: '/'}]}})
    assert.deepEqual(flat, ['cpu.percent', '12.346', 'disk.used_percent{mount="/"}', '50', 'doc', '{"partitions":[{"mount":"/"}]}'])
    const {sample, problems} = decodeEntry('web1', 'basic', '1700000000000-0', flat)
    assert.deepEqual(sample, {host: 'web1', tier: 'basic', atMs: 1_700_000_000_000, series: {'cpu.percent': 12.346, 'disk.used_percent{mount="/"}': 50}, doc: {partitions: [{mount: '/'}]}})
    assert.deepEqual(problems, [])
  })

  it('skips a non-numeric field and broken doc JSON, reporting each', () => {
    const {sample, problems} = decodeEntry('web1', 'basic', '1-0', ['cpu.percent', 'lots', 'memory.percent', '40', 'doc', '{broken'])
    assert.deepEqual(sample.series, {'memory.percent': 40})
    assert.deepEqual(sample.doc, {})
    assert.deepEqual(problems, [{field: 'cpu.percent', reason: 'not a number: "lots"'}, {field: 'doc', reason: 'not valid JSON'}])
  })

  it('keeps every key of one host in one Redis Cluster slot (hash tag)', () => {
    const keys = keysFor('monitor')
    assert.equal(keys.samples('web1', 'basic'), 'monitor:{web1}:samples:basic')
    assert.equal(keys.counters('web1'), 'monitor:{web1}:counters')
    for (const key of [keys.meta('web1'), keys.alerts('web1'), keys.alertLog('web1'), keys.analysis('web1')]) assert.match(key, /^monitor:\{web1\}:/)
  })
})
