import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {nagiosStatus, perfLabel} from '../../src/alert/nagios'
import type {AlertJson} from '../../src/alert/views'
import {defaults} from '../../src/config/defaults'

const alert = (severity: string, state: 'pending' | 'firing', message: string): AlertJson =>
  ({key: `h/cpu/${message}`, host: 'h', rule: 'cpu', series: 'cpu.percent', labels: {}, severity, value: 99, threshold: 95, since: '2026-11-25T12:00:00.000Z', state, acknowledged: false, ack: null, message})

describe('check --nagios status line', () => {
  const cases: [string, AlertJson[], number, string][] = [
    ['nothing', [], 0, 'MONITOR OK - no alerts'],
    ['a pending critical is named, not hidden behind "no alerts"', [alert('critical', 'pending', 'cpu.percent = 99.0 % (≥ 95)')], 0, 'MONITOR OK - 1 pending (critical: cpu.percent = 99.0 % (≥ 95))'],
    ['a firing warning and a pending error', [alert('warning', 'firing', 'w'), alert('error', 'pending', 'e')], 1, 'MONITOR WARNING - warning: w; 1 pending (error: e)'],
    ['error is CRITICAL', [alert('error', 'firing', 'e')], 2, 'MONITOR CRITICAL - error: e'],
    ['info only', [alert('info', 'firing', 'i')], 0, 'MONITOR OK - 1 informational alert(s)'],
  ]
  for (const [name, alerts, code, line] of cases) it(name, () => assert.deepEqual(nagiosStatus(alerts, {}, true, defaults), {code, line}))
})

describe('perfdata labels', () => {
  const cases: [string, string][] = [
    ['cpu.percent', 'cpu_percent'],
    ['disk.used_percent{mount="/"}', 'disk_used_percent_/'],
    ['disk.used_percent{mount="/srv/my data"}', "'disk_used_percent_/srv/my data'"],
    ['net.utilization_percent{iface="eth0"}', 'net_utilization_percent_eth0'],
    ['disk.used_percent{mount="/a=b\'c"}', 'disk_used_percent_/a_b_c'],
  ]
  for (const [series, expected] of cases) it(`${series} → ${expected}`, () => assert.equal(perfLabel(series), expected))
})
