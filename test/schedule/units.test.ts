import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {defaults} from '../../src/config/defaults'
import {resolveConfig} from '../../src/config/resolve'
import {cronLines, systemdUnits} from '../../src/schedule/units'

const ROOT = join(__dirname, '..', '..')

describe('schedule', () => {
  it('config/systemd ships exactly what schedule --systemd prints for the defaults', () => {
    const generated = systemdUnits(defaults, '/usr/local/bin/monitor', false)
    const shipped = readdirSync(join(ROOT, 'config', 'systemd')).sort()
    assert.deepEqual(shipped, generated.map((file) => file.name).sort())
    for (const file of generated) assert.equal(readFileSync(join(ROOT, 'config', 'systemd', file.name), 'utf8'), file.content, file.name)
  })

  it('times each stage at its configured interval', () => {
    const config = resolveConfig({monitoring: {intervals: {basic: 15, detailed: 120}}}, {})
    const timer = (name: string) => systemdUnits(config, 'monitor', false).find((file) => file.name === name)?.content ?? ''
    assert.match(timer('monitor-collect-basic.timer'), /OnUnitActiveSec=15s\nAccuracySec=1s/)
    assert.match(timer('monitor-analyze.timer'), /OnUnitActiveSec=120s/)
    assert.match(timer('monitor-prune.timer'), /OnCalendar=daily\nPersistent=true/)
    assert.match(timer('monitor-collect-basic.service'), /ExecStart=monitor collect --tier basic --quiet\nExecStartPost=monitor check --quiet/)
    assert.match(timer('monitor-collect-basic.service'), /ProtectSystem=strict/)
    assert.doesNotMatch(timer('monitor-collect-basic.service'), /^MemoryDenyWriteExecute/m, 'V8 needs W+X memory')
  })

  it('user units carry only what a user manager can apply', () => {
    const service = systemdUnits(defaults, 'monitor', true).find((file) => file.name === 'monitor-alert.service')?.content ?? ''
    assert.match(service, /NoNewPrivileges=yes/)
    assert.doesNotMatch(service, /ProtectSystem|After=network-online/)
  })

  it('cron runs the pipeline every minute and says why not every 10 s', () => {
    const crontab = cronLines('/usr/local/bin/monitor')
    assert.match(crontab, /^\* \* \* \* \* \/usr\/local\/bin\/monitor run --quiet$/m)
    assert.match(crontab, /minute resolution|at most once a minute/)
  })
})

describe('man pages', () => {
  it('exist for every command, generated from the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {summary?: string}>}
    for (const [id, command] of Object.entries(manifest.commands)) {
      const page = readFileSync(join(ROOT, 'man', `monitor-${id.replaceAll(':', '-')}.1`), 'utf8')
      assert.match(page, /^\.TH /)
      assert.ok(page.includes((command.summary ?? '').slice(0, 20).replace(/-/g, '\\-')), id)
    }
    assert.match(readFileSync(join(ROOT, 'man', 'monitor.1'), 'utf8'), /\.SH EXIT STATUS/)
  })
})
