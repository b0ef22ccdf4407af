import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {AlertEvent} from '../../../src/alert/notification'
import {plan} from '../../../src/alert/pipeline/plan'
import {tell} from '../../../src/alert/pipeline/throttle'
import type {ActiveChannel, Snapshot} from '../../../src/alert/pipeline/types'
import {resolveConfig} from '../../../src/config/resolve'
import type {Config, Severity} from '../../../src/config/schema'
import type {AlertState} from '../../../src/rules/state'
import type {Told} from '../../../src/store/alerts'

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0) // a Wednesday
const MIN = 60_000
const MEM = 'web1/memory/memory.percent'
const DISK = 'web1/disk/disk.used_percent{mount="/"}'
const FORECAST = 'web1/forecast/disk.used_percent{mount="/"}'

const config = resolveConfig({
  alerts: {
    channels: {email: {recipients: ['admin@example.com'], smtp_url: 'smtp://127.0.0.1:25'}, slack: {webhook_url: 'http://127.0.0.1:9/slack', min_severity: 'error'}},
    throttling: {grouping_window: 0, min_interval: 300, repeat_interval: 14_400, max_alerts_per_hour: 10},
    escalation: {levels: [{after: '15m', recipients: ['oncall@example.com'], channels: ['slack']}, {after: '30m', recipients: ['manager@example.com'], min_severity: 'critical'}]},
    maintenance: [{match: 'web1/disk/*', days: ['wed'], from: '00:00', to: '23:59'}],
  },
}, {})
const CHANNELS: ActiveChannel[] = [{name: 'email', minSeverity: 'warning', capped: true}, {name: 'slack', minSeverity: 'error', capped: true}]

const seriesOf = (key: string) => key.split('/').slice(2).join('/')
const ruleOf = (key: string) => key.split('/')[1] as string

function state(key: string, severity: Severity, since: number, extra: Partial<AlertState> = {}): AlertState {
  return {key, rule: ruleOf(key), series: seriesOf(key), labels: {}, state: 'firing', severity, value: 90, threshold: 85, message: `${seriesOf(key)} = 90.0 %`, since, firingSince: since, updatedAt: since, ...extra}
}

let nextId = 0
function event(kind: AlertEvent['kind'], key: string, severity: Severity, since: number, at: number, extra: Partial<AlertEvent> = {}): AlertEvent {
  return {id: `${at}-${nextId++}`, host: 'web1', key, rule: ruleOf(key), series: seriesOf(key), labels: {}, kind, severity, value: 90, threshold: 85, since, at, message: `${seriesOf(key)} ${kind}`, ...extra}
}

const told = (severity: Severity, episode: number, notifiedAt: number, key = MEM): Told =>
  ({episode, severity, firstAt: notifiedAt, notifiedAt, rule: ruleOf(key), series: seriesOf(key), labels: {}})

function snapshot(partial: Partial<Snapshot> & {states?: Map<string, AlertState>}): Snapshot {
  return {host: 'web1', cursor: null, events: [], states: new Map(), silentHosts: new Set(), silences: [], told: new Map(), hour: new Map(), ...partial}
}

const statesOf = (...states: AlertState[]) => new Map(states.map((entry) => [entry.key, entry]))

/** One line per notification: `channel[@level] kind: event kind severity key, …`. */
function lines(snap: Snapshot, now: number, settings: Config = config): string[] {
  let id = 0
  return plan(snap, settings, CHANNELS, now, () => `n${id++}`).notifications.map((notification) =>
    `${notification.channel}${notification.escalationLevel ? `@${notification.escalationLevel}` : ''} ${notification.kind}: ${notification.events.map((item) => `${item.kind} ${item.severity} ${item.key}`).join(', ')}${notification.heldBack.count ? ` +held ${notification.heldBack.keys.join(' ')}` : ''}`)
}

describe('plan: the notification contract, one row per rule (pure, clock passed in)', () => {
  const rows: [string, Snapshot, number, string[]][] = [
    ['1. a new firing goes to every channel it reaches (slack takes error and above)',
      snapshot({events: [event('firing', MEM, 'warning', T0, T0)], states: statesOf(state(MEM, 'warning', T0))}), T0,
      [`email alert: firing warning ${MEM}`]],
    ['1. a re-fire after a resolution is a new episode, told even within min_interval',
      snapshot({events: [event('resolved', MEM, 'warning', T0, T0 + MIN), event('firing', MEM, 'warning', T0 + 2 * MIN, T0 + 2 * MIN)], states: statesOf(state(MEM, 'warning', T0 + 2 * MIN)), told: new Map([[`email|${MEM}`, told('warning', T0, T0)]])}), T0 + 2 * MIN,
      [`email alert: resolved warning ${MEM}, firing warning ${MEM}`]],
    ['1. an episode that began and ended between two runs is told as the pair',
      snapshot({events: [event('firing', MEM, 'error', T0, T0), event('resolved', MEM, 'error', T0, T0 + 10_000)]}), T0 + 10_000,
      [`email alert: firing error ${MEM}, resolved error ${MEM}`, `slack alert: firing error ${MEM}, resolved error ${MEM}`]],
    ['2. the same episode at the same severity is not told again before repeat_interval (acknowledged: no escalation)',
      snapshot({states: statesOf(state(MEM, 'warning', T0, {acknowledged: {at: T0, by: 'ops', comment: ''}})), told: new Map([[`email|${MEM}`, told('warning', T0, T0)]])}), T0 + 239 * MIN,
      []],
    ['2. …and is told again once repeat_interval has passed',
      snapshot({states: statesOf(state(MEM, 'warning', T0, {acknowledged: {at: T0, by: 'ops', comment: ''}})), told: new Map([[`email|${MEM}`, told('warning', T0, T0)]])}), T0 + 240 * MIN,
      [`email alert: firing warning ${MEM}`]],
    ['2. a rise is told at once', snapshot({states: statesOf(state(MEM, 'critical', T0)), told: new Map([[`email|${MEM}`, told('warning', T0, T0)]])}), T0 + MIN,
      [`email alert: severity critical ${MEM}`, `slack alert: firing critical ${MEM}`]],
    ['2. a fall within min_interval is not told', snapshot({states: statesOf(state(MEM, 'warning', T0)), told: new Map([[`email|${MEM}`, told('critical', T0, T0)]])}), T0 + 4 * MIN,
      []],
    ['2. …and is told after min_interval', snapshot({states: statesOf(state(MEM, 'warning', T0)), told: new Map([[`email|${MEM}`, told('critical', T0, T0)]])}), T0 + 5 * MIN,
      [`email alert: severity warning ${MEM}`]],
    ['3. a channel told of CRITICAL hears the resolution after the alert stepped down below its min_severity',
      snapshot({events: [event('resolved', MEM, 'warning', T0, T0 + 30 * MIN, {previous: 'warning'})], told: new Map([[`slack|${MEM}`, told('critical', T0, T0)], [`email|${MEM}`, told('warning', T0, T0 + 10 * MIN)]])}), T0 + 30 * MIN,
      [`email alert: resolved warning ${MEM}`, `slack alert: resolved warning ${MEM}`]],
    ['3. a channel never told of a firing hears nothing of its resolution',
      snapshot({events: [event('resolved', MEM, 'warning', T0, T0 + 30 * MIN)]}), T0 + 30 * MIN,
      []],
    ['3. a channel told of an episode whose state vanished hears that it is over',
      snapshot({told: new Map([[`email|${MEM}`, told('warning', T0, T0)]])}), T0 + 30 * MIN,
      [`email alert: resolved warning ${MEM}`]],
    ['4. a silence withholds the firing',
      snapshot({events: [event('firing', MEM, 'error', T0, T0)], states: statesOf(state(MEM, 'error', T0)), silences: [{id: 's1', match: 'web1/*', until: T0 + 60 * MIN, reason: 'upgrade', createdBy: 'me', createdAt: T0}]}), T0,
      []],
    ['4. …and escalation', snapshot({states: statesOf(state(MEM, 'critical', T0)), told: new Map([[`email|${MEM}`, told('critical', T0, T0)]]), silences: [{id: 's1', match: 'web1/*', until: T0 + 60 * MIN, reason: 'upgrade', createdBy: 'me', createdAt: T0}]}), T0 + 40 * MIN,
      []],
    ['4. when the silence has ended and the alert still fires, each channel is told once',
      snapshot({states: statesOf(state(MEM, 'error', T0)), silences: [{id: 's1', match: 'web1/*', until: T0 + 60 * MIN, reason: 'upgrade', createdBy: 'me', createdAt: T0}]}), T0 + 60 * MIN,
      [`email alert: firing error ${MEM}`, `slack alert: firing error ${MEM}`]],
    ['4. a maintenance window withholds what it matches (Wednesdays, all day, web1/disk/*)',
      snapshot({events: [event('firing', DISK, 'error', T0, T0)], states: statesOf(state(DISK, 'error', T0))}), T0,
      []],
    ['5. over max_alerts_per_hour the message is held back',
      snapshot({events: [event('firing', MEM, 'warning', T0, T0)], states: statesOf(state(MEM, 'warning', T0)), hour: new Map([['email', {sent: 10, held: []}]])}), T0,
      []],
    ['5. as soon as the hour allows, what was held goes out on its own',
      snapshot({hour: new Map([['email', {sent: 9, held: [MEM]}]])}), T0 + 30 * MIN,
      [`email held:  +held ${MEM}`]],
    ['5. …or with what still fires, which was never told',
      snapshot({states: statesOf(state(MEM, 'warning', T0)), hour: new Map([['email', {sent: 9, held: [MEM]}]])}), T0 + 30 * MIN,
      [`email alert: firing warning ${MEM} +held ${MEM}`]],
    ['6. an alert firing 15 min after it was told goes to level 1: email recipients and the named channel',
      snapshot({states: statesOf(state(MEM, 'error', T0)), told: new Map([[`email|${MEM}`, told('error', T0, T0)], [`slack|${MEM}`, told('error', T0, T0)]])}), T0 + 15 * MIN,
      [`email@1 escalation: firing error ${MEM}`, `slack@1 escalation: firing error ${MEM}`]],
    ['6. a level is sent once per episode, and a level below its min_severity is skipped',
      snapshot({states: statesOf(state(MEM, 'error', T0)), told: new Map([[`email|${MEM}`, told('error', T0, T0)], [`slack|${MEM}`, told('error', T0, T0)], [`escalation-1:email|${MEM}`, told('error', T0, T0 + 15 * MIN)], [`escalation-1:slack|${MEM}`, told('error', T0, T0 + 15 * MIN)]])}), T0 + 45 * MIN,
      []],
    ['6. an acknowledgement stops escalation',
      snapshot({states: statesOf(state(MEM, 'critical', T0, {acknowledged: {at: T0, by: 'ops', comment: ''}})), told: new Map([[`email|${MEM}`, told('critical', T0, T0)], [`slack|${MEM}`, told('critical', T0, T0)]])}), T0 + 45 * MIN,
      []],
    ['6. escalation recipients hear the resolution',
      snapshot({events: [event('resolved', MEM, 'error', T0, T0 + 20 * MIN)], told: new Map([[`email|${MEM}`, told('error', T0, T0)], [`escalation-1:email|${MEM}`, told('error', T0, T0 + 15 * MIN)]])}), T0 + 20 * MIN,
      [`email alert: resolved error ${MEM}`, `email@1 alert: resolved error ${MEM}`]],
    ['9. while a host is silent its other alerts are not told',
      snapshot({events: [event('firing', MEM, 'error', T0, T0)], states: statesOf(state(MEM, 'error', T0)), silentHosts: new Set(['web1'])}), T0,
      []],
    ['9. two events of one alert in one window are one line, at the severity it has now',
      snapshot({events: [event('firing', MEM, 'warning', T0, T0), event('severity', MEM, 'error', T0, T0 + 10_000)], states: statesOf(state(MEM, 'error', T0))}), T0 + 10_000,
      [`email alert: firing error ${MEM}`, `slack alert: firing error ${MEM}`]],
  ]
  for (const [name, snap, now, expected] of rows) it(name, () => assert.deepEqual(lines(snap, now), expected))

  it('9. the forecast is inhibited by the critical disk alert of the same series (outside the maintenance window)', () => {
    const thursday = T0 + 24 * 60 * MIN
    const snap = snapshot({events: [event('firing', DISK, 'critical', thursday, thursday), event('firing', FORECAST, 'warning', thursday, thursday)], states: statesOf(state(DISK, 'critical', thursday), state(FORECAST, 'warning', thursday))})
    assert.deepEqual(lines(snap, thursday), [`email alert: firing critical ${DISK}`, `slack alert: firing critical ${DISK}`])
    const {suppressed} = plan(snap, config, CHANNELS, thursday, () => 'id')
    assert.deepEqual(suppressed, [{key: FORECAST, reason: `inhibited by ${DISK} (critical)`}])
  })

  it('groups: events inside an open window wait, and the cursor stops before the first of them', () => {
    const grouping: Config = {...config, alerts: {...config.alerts, throttling: {...config.alerts.throttling, grouping_window: 60}}}
    const early = event('firing', MEM, 'warning', T0, T0)
    const snap = snapshot({cursor: '1-0', events: [early], states: statesOf(state(MEM, 'warning', T0))})
    const waiting = plan(snap, grouping, CHANNELS, T0 + 30_000, () => 'id')
    assert.deepEqual([waiting.notifications.length, waiting.waiting, waiting.cursor], [0, 1, '1-0'])
    const ready = plan(snap, grouping, CHANNELS, T0 + 60_000, () => 'id')
    assert.deepEqual([ready.notifications.length, ready.waiting, ready.cursor], [1, 0, early.id])
  })

  it('records what each audience was told, and forgets it when the audience heard the resolution', () => {
    const fired = plan(snapshot({events: [event('firing', MEM, 'warning', T0, T0)], states: statesOf(state(MEM, 'warning', T0))}), config, CHANNELS, T0, () => 'id')
    assert.deepEqual([...fired.told], [[`email|${MEM}`, {episode: T0, severity: 'warning', firstAt: T0, notifiedAt: T0, rule: 'memory', series: 'memory.percent', labels: {}}]])
    const resolved = plan(snapshot({events: [event('resolved', MEM, 'warning', T0, T0 + MIN)], told: new Map(fired.told as Map<string, Told>)}), config, CHANNELS, T0 + MIN, () => 'id')
    assert.deepEqual([...resolved.told], [[`email|${MEM}`, null]])
  })

  it('a held-back message leaves no told record, so the alert is told when the hour allows', () => {
    const held = plan(snapshot({states: statesOf(state(MEM, 'warning', T0)), hour: new Map([['email', {sent: 10, held: []}]])}), config, CHANNELS, T0, () => 'id')
    assert.deepEqual([...held.told], [])
    assert.deepEqual([...held.held], [['email', {add: [MEM], clear: []}]])
    assert.deepEqual(held.heldNow, [{channel: 'email', keys: [MEM]}])
  })
})

describe('plan: cases found in review', () => {
  const grouping: Config = {...config, alerts: {...config.alerts, throttling: {...config.alerts.throttling, grouping_window: 60}}}

  it('1. with a grouping window, an episode whose firing is ready is told even though its resolution still waits', () => {
    const fired = event('firing', MEM, 'warning', T0, T0)
    const resolved = event('resolved', MEM, 'warning', T0, T0 + MIN)
    const first = plan(snapshot({events: [fired, resolved]}), grouping, CHANNELS, T0 + MIN, () => 'id')
    assert.deepEqual(first.notifications.map((item) => item.events.map((line) => line.kind)), [['firing']])
    assert.equal(first.cursor, fired.id)
    const second = plan(snapshot({cursor: fired.id ?? null, events: [resolved], told: new Map(first.told as Map<string, Told>)}), grouping, CHANNELS, T0 + 2 * MIN, () => 'id')
    assert.deepEqual(second.notifications.map((item) => item.events.map((line) => line.kind)), [['resolved']])
  })

  it('4. an episode that came and went is told at its worst severity, to every channel that takes it', () => {
    const snap = snapshot({events: [event('firing', MEM, 'critical', T0, T0), event('severity', MEM, 'warning', T0, T0 + 5000, {previous: 'critical'}), event('resolved', MEM, 'warning', T0, T0 + 9000)]})
    assert.deepEqual(lines(snap, T0 + 9000), [`email alert: firing critical ${MEM}, resolved warning ${MEM}`, `slack alert: firing critical ${MEM}, resolved warning ${MEM}`])
  })

  it("3. escalation emails a level's recipients through the SMTP server even when email has no recipients of its own", () => {
    const noOwn: Config = {...config, alerts: {...config.alerts, channels: {...config.alerts.channels, email: {...config.alerts.channels.email!, recipients: []}}}}
    const snap = snapshot({states: statesOf(state(MEM, 'error', T0)), told: new Map([[`slack|${MEM}`, told('error', T0, T0)]])})
    const planned = plan(snap, noOwn, CHANNELS.filter((channel) => channel.name !== 'email'), T0 + 15 * MIN, () => 'id')
    assert.deepEqual(planned.notifications.map((item) => [item.channel, item.escalationLevel, item.recipients]), [['email', 1, ['oncall@example.com']], ['slack', 1, undefined]])
  })

  it('6. levels overdue when a silence ends go out one after the other, at their spacing', () => {
    const critical = statesOf(state(MEM, 'critical', T0))
    const toldAll = new Map([[`email|${MEM}`, told('critical', T0, T0)], [`slack|${MEM}`, told('critical', T0, T0)]])
    const atEnd = plan(snapshot({states: critical, told: toldAll}), config, CHANNELS, T0 + 120 * MIN, () => 'id')
    assert.deepEqual(atEnd.notifications.map((item) => `${item.channel}@${item.escalationLevel}`), ['email@1', 'slack@1'])
    const afterLevel1 = new Map([...toldAll, ...(atEnd.told as Map<string, Told>)])
    assert.deepEqual(plan(snapshot({states: critical, told: afterLevel1}), config, CHANNELS, T0 + 134 * MIN, () => 'id').notifications, [])
    const level2 = plan(snapshot({states: critical, told: afterLevel1}), config, CHANNELS, T0 + 135 * MIN, () => 'id')
    assert.deepEqual(level2.notifications.map((item) => [item.escalationLevel, item.recipients]), [[2, ['manager@example.com']]])
  })

  it("7. an escalation's resolution goes to the recipients it was told with, whatever the configuration says now", () => {
    const record = {...told('error', T0, T0 + 15 * MIN), recipients: ['former-oncall@example.com']}
    const snap = snapshot({told: new Map([[`escalation-1:email|${MEM}`, record]])})
    const planned = plan(snap, config, CHANNELS, T0 + 20 * MIN, () => 'id')
    assert.deepEqual(planned.notifications.map((item) => [item.channel, item.status, item.recipients]), [['email', 'resolved', ['former-oncall@example.com']]])
  })
})

describe('plan: a machine channel (Alertmanager) is kept alive', () => {
  const machine: ActiveChannel[] = [...CHANNELS, {name: 'am', minSeverity: 'info', capped: false, repeatS: 60}]
  const silence = {id: 's1', match: 'web1/*', until: T0 + 60 * MIN, reason: 'upgrade', createdBy: 'me', createdAt: T0}
  const run = (snap: Snapshot, now: number) => plan(snap, config, machine, now, () => 'id').notifications.map((item) => `${item.channel}: ${item.events.map((line) => `${line.kind} ${line.severity}`).join(', ')}`)

  it('a silenced alert it was told of is re-posted every resend interval, at the severity it was told; people hear nothing', () => {
    const snap = snapshot({states: statesOf(state(MEM, 'critical', T0)), silences: [silence], told: new Map([[`am|${MEM}`, told('error', T0, T0)], [`email|${MEM}`, told('error', T0, T0)]])})
    assert.deepEqual(run(snap, T0 + 30_000), [])
    assert.deepEqual(run(snap, T0 + 60_000), ['am: firing error'])
  })

  it('a fall is posted at once (no min_interval for a machine)', () => {
    const snap = snapshot({states: statesOf(state(MEM, 'warning', T0, {acknowledged: {at: T0, by: 'ops', comment: ''}})), told: new Map([[`am|${MEM}`, told('critical', T0, T0)], [`email|${MEM}`, told('critical', T0, T0)]])})
    assert.deepEqual(run(snap, T0 + 10_000), ['am: severity warning'])
  })

  it('a resolution names the severity the channel was told', () => {
    const snap = snapshot({events: [event('resolved', MEM, 'warning', T0, T0 + MIN, {previous: 'warning'})], told: new Map([[`am|${MEM}`, told('critical', T0, T0)]])})
    const [notification] = plan(snap, config, machine, T0 + MIN, () => 'id').notifications
    assert.deepEqual(notification?.events.map((line) => [line.kind, line.previous]), [['resolved', 'critical']])
  })
})

describe('tell: the reason for each decision', () => {
  const throttling = config.alerts.throttling
  const subject = (extra: Partial<Parameters<typeof tell>[0]> = {}) => ({key: MEM, state: state(MEM, 'warning', T0), events: [], waiting: false, ...extra})
  const cases: [string, Parameters<typeof tell>[0], Told | undefined, number, string][] = [
    ['new', subject(), undefined, T0, 'a new episode'],
    ['told', subject(), told('warning', T0, T0), T0 + MIN, 'already told'],
    ['repeat', subject(), told('warning', T0, T0), T0 + 240 * MIN, 'repeat_interval'],
    ['fall too soon', subject(), told('error', T0, T0), T0 + MIN, 'a fall within min_interval (300 s)'],
    ['below min severity', subject({state: state(MEM, 'info', T0)}), undefined, T0, 'nothing to tell'],
    ['waiting', subject({waiting: true}), undefined, T0, 'waiting for its grouping window'],
    ['over', subject({state: undefined}), told('warning', T0, T0), T0 + MIN, 'its episode is over'],
  ]
  for (const [name, item, record, now, reason] of cases) it(name, () => assert.equal(tell(item, record, 'warning', throttling, now).reason, reason))
})
