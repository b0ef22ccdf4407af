import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {globToRegExp, inWindow, suppression} from '../../../src/alert/pipeline/silence'

const local = (day: number, hour: number, minute = 0) => new Date(2026, 10, 22 + day, hour, minute) // 2026-11-22 is a Sunday

describe('silences and maintenance windows', () => {
  it('matches globs on alert keys, everything else literal', () => {
    assert.ok(globToRegExp('web1/*').test('web1/disk/disk.used_percent{mount="/"}'))
    assert.ok(!globToRegExp('web1/*').test('web2/disk/x'))
    assert.ok(globToRegExp('*/service/nginx.service').test('web1/service/nginx.service'))
    assert.ok(!globToRegExp('web1/cpu/cpu.percent').test('web1/cpu/cpuXpercent'))
  })

  it('applies an active silence and ignores an expired one', () => {
    const silence = {id: 's1', match: 'web1/*', until: 2000, reason: 'upgrade', createdBy: 'me', createdAt: 0}
    assert.equal(suppression({key: 'web1/cpu/cpu.percent'}, [silence], [], 1000), 'silence s1 (upgrade)')
    assert.equal(suppression({key: 'web1/cpu/cpu.percent'}, [silence], [], 2000), undefined)
    assert.equal(suppression({key: 'web2/cpu/cpu.percent'}, [silence], [], 1000), undefined)
  })

  it('knows a nightly window 03:00–05:00 on the listed days', () => {
    const nightly = {match: '*', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], from: '03:00', to: '05:00'}
    assert.ok(inWindow(nightly, local(1, 3, 0))) // Monday 03:00
    assert.ok(inWindow(nightly, local(1, 4, 59)))
    assert.ok(!inWindow(nightly, local(1, 5, 0)))
    assert.ok(!inWindow(nightly, local(0, 4, 0)), 'not on Sunday')
  })

  it('runs a window past midnight on the day it starts', () => {
    const late = {match: '*', days: ['sat'] as 'sat'[], from: '23:00', to: '01:00'}
    assert.ok(inWindow(late, local(-1, 23, 30))) // Saturday 23:30
    assert.ok(inWindow(late, local(0, 0, 30))) // Sunday 00:30, started Saturday
    assert.ok(!inWindow(late, local(0, 23, 30)), 'Sunday evening is not Saturday')
  })
})
