import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {perSecond, sharePercent, usablePrevious} from '../../src/collect/rates'

describe('perSecond', () => {
  const cases: [string, number | undefined, number | undefined, number | undefined, number | undefined][] = [
    // name, current, previous, elapsedS, expected
    ['normal: 1000 bytes more over 10 s', 6000, 5000, 10, 100],
    ['first run: no previous reading', 6000, undefined, undefined, undefined],
    ['counter reset: the counter went down', 100, 5000, 10, undefined],
    ['clock went back: negative elapsed time', 6000, 5000, -3, undefined],
    ['no time passed', 6000, 5000, 0, undefined],
    ['idle: the counter did not move', 5000, 5000, 10, 0],
  ]
  for (const [name, current, previous, elapsedS, expected] of cases) {
    it(name, () => assert.equal(perSecond(current, previous, elapsedS), expected))
  }
})

describe('sharePercent', () => {
  it('is the share of the total ticks that went to the part', () => {
    // busy went 14000 -> 15000 (+1000), total 95000 -> 96900 (+1900): 1000/1900 = 52.63 %
    assert.equal(sharePercent(15000, 14000, 96900, 95000), (1000 / 1900) * 100)
  })
  it('is absent when a counter went down (reboot)', () => {
    assert.equal(sharePercent(500, 14000, 4760, 95000), undefined)
  })
  it('is absent when the total did not move', () => {
    assert.equal(sharePercent(14000, 14000, 95000, 95000), undefined)
  })
})

describe('usablePrevious', () => {
  const previous = {atMs: 1_000_000, bootTimeS: 1795500000, counters: {'cpu.busy': 1}}
  it('gives the elapsed seconds since the previous reading', () => {
    assert.deepEqual(usablePrevious(previous, 1_010_000, 1795500000), {elapsedS: 10, counters: {'cpu.busy': 1}})
  })
  it('tolerates a boot time that jitters by a second', () => {
    assert.equal(usablePrevious(previous, 1_010_000, 1795500001)?.elapsedS, 10)
  })
  it('refuses a reading from before a reboot', () => {
    assert.equal(usablePrevious(previous, 1_010_000, 1795600000), undefined)
  })
  it('refuses when the clock went back', () => {
    assert.equal(usablePrevious(previous, 999_000, 1795500000), undefined)
  })
  it('refuses when there is no previous reading', () => {
    assert.equal(usablePrevious(undefined, 999_000, 1795500000), undefined)
  })
})
