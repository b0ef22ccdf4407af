import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {dueEscalations} from '../../../src/alert/pipeline/escalate'
import type {AlertState} from '../../../src/rules/state'
import {defaults} from '../../../src/config/defaults'

const T0 = 1_800_000_000_000
const escalation = {...defaults.alerts.escalation, levels: [{threshold: 15, recipients: ['oncall@example.com']}, {threshold: 30, recipients: ['manager@example.com']}, {threshold: 60, recipients: ['director@example.com']}]}
const firing = (extra: Partial<AlertState> = {}): AlertState => ({key: 'h/disk/x', rule: 'disk', series: 'x', labels: {}, state: 'firing', severity: 'critical', value: 96, threshold: 95, message: 'x', since: T0, firingSince: T0, updatedAt: T0, escalated: [], ...extra})
const levelsDue = (state: AlertState, minutes: number) => dueEscalations([state], escalation, T0 + minutes * 60_000).map((due) => due.level)

describe('dueEscalations at 15 / 30 / 60 minutes', () => {
  it('escalates nothing before 15 minutes', () => assert.deepEqual(levelsDue(firing(), 14.9), []))
  it('escalates to level 1 at 15 minutes', () => assert.deepEqual(levelsDue(firing(), 15), [0]))
  it('does not repeat a level already sent', () => assert.deepEqual(levelsDue(firing({escalated: [0]}), 20), []))
  it('reaches level 2 at 30 and level 3 at 60', () => {
    assert.deepEqual(levelsDue(firing({escalated: [0]}), 30), [1])
    assert.deepEqual(levelsDue(firing({escalated: [0, 1]}), 60), [2])
  })
  it('sends every missed level when runs were skipped', () => assert.deepEqual(levelsDue(firing(), 61), [0, 1, 2]))
  it('stops for an acknowledged alert', () => assert.deepEqual(levelsDue(firing({acknowledged: {at: T0, by: 'me', comment: ''}}), 61), []))
  it('ignores pending alerts and disabled escalation', () => {
    assert.deepEqual(levelsDue(firing({state: 'pending'}), 61), [])
    assert.deepEqual(dueEscalations([firing()], {...escalation, enabled: false}, T0 + 3_600_000), [])
  })
})
