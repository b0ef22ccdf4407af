import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {usageLine} from '../../src/cli/base-command'
import {closestCommand} from '../../src/hooks/command-not-found'

describe('usageLine: oclif usage errors as one line', () => {
  const cases: [string, string, string][] = [
    ['The following error occurred:\n  Exactly one of the following must be provided: --cron, --systemd\nSee more help with --help', 'schedule', 'Exactly one of the following must be provided: --cron, --systemd (see monitor schedule --help)'],
    ['Missing 1 required arg:\nkey  Alert key or glob.\nSee more help with --help', 'alerts:ack', 'Missing 1 required arg: key — Alert key or glob. (see monitor alerts ack --help)'],
    ['The following errors occurred:\n  Missing required flag for\n  Missing required flag reason\nSee more help with --help', 'alerts:silence', 'Missing required flag --for; Missing required flag --reason (see monitor alerts silence --help)'],
    ['Nonexistent flag: --bogus\nSee more help with --help', 'collect', 'Nonexistent flag: --bogus (see monitor collect --help)'],
  ]
  for (const [message, id, expected] of cases) it(expected, () => assert.equal(usageLine(message, id), expected))
})

describe('closestCommand: the "did you mean" of a mistyped command', () => {
  const ids = ['collect', 'check', 'alert', 'alerts:list', 'alerts:ack', 'analyze', 'config:show', 'hosts', 'query', 'report']
  const cases: [string, string | undefined][] = [
    ['colect', 'collect'],
    ['chek', 'check'],
    ['alerts:lst', 'alerts:list'],
    ['anlyze', 'analyze'],
    ['hots', 'hosts'],
    ['frobnicate', undefined],
    ['x', undefined],
  ]
  for (const [typed, expected] of cases) it(`${typed} → ${expected ?? 'no suggestion'}`, () => assert.equal(closestCommand(typed, ids), expected))
})
