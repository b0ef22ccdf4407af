import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {defaults} from '../../src/config/defaults'
import {resolveConfig} from '../../src/config/resolve'
import {cronLines, systemdUnits} from '../../src/schedule/units'
import {runCli} from '../helpers/cli'

const ROOT = join(__dirname, '..', '..')

describe('schedule', () => {
  it('config/systemd ships exactly what schedule --systemd prints for the defaults', () => {
    const generated = systemdUnits(defaults, '/usr/local/bin/monitor', false, {env: {}, digest: false})
    const shipped = readdirSync(join(ROOT, 'config', 'systemd')).sort()
    assert.deepEqual(shipped, generated.map((file) => file.name).sort())
    for (const file of generated) assert.equal(readFileSync(join(ROOT, 'config', 'systemd', file.name), 'utf8'), file.content, file.name)
  })

  it('times each stage at its configured interval', () => {
    const config = resolveConfig({monitoring: {intervals: {basic: 15, detailed: 120}}}, {})
    const timer = (name: string) => systemdUnits(config, 'monitor', false, {env: {}, digest: false, arrangement: 'per-stage'}).find((file) => file.name === name)?.content ?? ''
    assert.match(timer('monitor-collect-basic.timer'), /OnUnitActiveSec=15s\nAccuracySec=1s/)
    assert.match(timer('monitor-analyze.timer'), /OnUnitActiveSec=120s/)
    assert.match(timer('monitor-prune.timer'), /OnCalendar=daily\nPersistent=true/)
    assert.match(timer('monitor-collect-basic.service'), /ExecStart=monitor collect --tier basic --quiet\nExecStartPost=monitor check --quiet/)
    assert.match(timer('monitor-collect-basic.service'), /ProtectSystem=strict/)
    assert.doesNotMatch(timer('monitor-collect-basic.service'), /^MemoryDenyWriteExecute/m, 'V8 needs W+X memory')
  })

  it('user units carry only what a user manager can apply', () => {
    const service = systemdUnits(defaults, 'monitor', true).find((file) => file.name === 'monitor-run.service')?.content ?? ''
    assert.match(service, /NoNewPrivileges=yes/)
    assert.doesNotMatch(service, /ProtectSystem|After=network-online/)
  })

  it('by default one monitor run per basic interval; --resident one run --watch service; prune daily in each', () => {
    const names = (arrangement?: 'run' | 'per-stage' | 'resident') => systemdUnits(defaults, 'monitor', false, {env: {}, digest: false, arrangement}).map((file) => file.name)
    assert.deepEqual(names(), ['monitor-run.service', 'monitor-run.timer', 'monitor-prune.service', 'monitor-prune.timer'])
    assert.deepEqual(names('resident'), ['monitor-agent.service', 'monitor-prune.service', 'monitor-prune.timer'])
    assert.equal(names('per-stage').length, 12)
    const run = systemdUnits(defaults, 'monitor', false).find((file) => file.name === 'monitor-run.timer')?.content ?? ''
    assert.match(run, /OnUnitActiveSec=10s/)
    const agent = systemdUnits(defaults, 'monitor', false, {env: {}, digest: false, arrangement: 'resident'})[0]?.content ?? ''
    assert.match(agent, /^Type=simple\nExecStart=monitor run --watch --quiet\nRestart=on-failure$/m)
    assert.match(agent, /^WantedBy=multi-user\.target$/m)
  })

  it('cron runs the pipeline every minute and says why not every 10 s', () => {
    const crontab = cronLines('/usr/local/bin/monitor')
    assert.match(crontab, /^\* \* \* \* \* \/usr\/local\/bin\/monitor run --quiet$/m)
    assert.match(crontab, /minute resolution|at most once a minute/)
  })
})

describe('schedule keeps the settings in effect, and the units are safe to install', () => {
  const BIN = ['--bin', '/usr/local/bin/monitor']

  it('systemd-analyze security rates every service at most 3.0 (offline, the real tool)', () => {
    const root = mkdtempSync(join(tmpdir(), 'monitor-units-'))
    mkdirSync(join(root, 'etc', 'systemd', 'system'), {recursive: true})
    const files = (['run', 'per-stage', 'resident'] as const).flatMap((arrangement) => systemdUnits(defaults, '/usr/local/bin/monitor', false, {arrangement, configFile: '/etc/monitor/monitor.config.yaml', env: {MONITOR_HOST: 'web1'}, digest: true}))
    for (const file of files) writeFileSync(join(root, 'etc', 'systemd', 'system', file.name), file.content)
    for (const file of files.filter((entry) => entry.name.endsWith('.service'))) {
      const result = spawnSync('systemd-analyze', ['security', '--offline=true', `--root=${root}`, file.name], {encoding: 'utf8'})
      const level = /Overall exposure level for \S+: (\d+\.\d+)/.exec(result.stdout)?.[1]
      assert.ok(level !== undefined, `${file.name}: ${result.stderr}`)
      assert.ok(Number(level) <= 3, `${file.name} rated ${level}`)
    }
  })

  it('as a user does it: a ./monitor.config.yaml, --redis-url and --host reach the units; the password stays out of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-project-'))
    writeFileSync(join(dir, 'monitor.config.yaml'), 'thresholds:\n  cpu: {warning: 61}\nalerts:\n  channels:\n    email: {recipients: [ops@example.com], smtp_url: "smtp://127.0.0.1:25"}\n', {mode: 0o600})
    const result = await runCli(['schedule', '--systemd', ...BIN, '--redis-url', 'redis://:s3cret@10.0.0.5:6379/2', '--host', 'nas'], {MONITOR_CONFIG: undefined}, undefined, dir)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`^LoadCredential=monitor\\.config:${join(dir, 'monitor.config.yaml').replace(/\./g, '\\.')}$`, 'm'))
    assert.match(result.stdout, /^Environment=MONITOR_CONFIG=%d\/monitor\.config$/m)
    assert.match(result.stdout, /^EnvironmentFile=-\/etc\/monitor\/schedule\.env$/m)
    assert.match(result.stdout, /^MONITOR_HOST=nas$/m)
    assert.match(result.stdout, /^MONITOR_REDIS_URL=redis:\/\/:\*\*\*@10\.0\.0\.5:6379\/2$/m)
    assert.ok(!result.stdout.includes('s3cret'))
    assert.match(result.stdout, /^# monitor-digest\.timer\n[\s\S]*?OnCalendar=\*-\*-\* 07:00:00$/m, 'email is set up: the daily digest has its timer')
    assert.match(result.stdout, /^TimeoutStartSec=60s$/m)
    assert.match(result.stdout, /^DynamicUser=yes$/m)
  })

  it('--install --user writes the units and a mode-600 settings file with the real values', async () => {
    const home = mkdtempSync(join(tmpdir(), 'monitor-xdg-'))
    const result = await runCli(['schedule', '--systemd', '--install', '--user', ...BIN, '--redis-url', 'redis://:s3cret@10.0.0.5:6379/2'], {XDG_CONFIG_HOME: home})
    assert.equal(result.code, 0, result.stderr)
    const envPath = join(home, 'monitor', 'schedule.env')
    assert.equal(readFileSync(envPath, 'utf8'), 'MONITOR_REDIS_URL=redis://:s3cret@10.0.0.5:6379/2\n')
    assert.equal(statSync(envPath).mode & 0o777, 0o600)
    assert.match(readFileSync(join(home, 'systemd', 'user', 'monitor-run.service'), 'utf8'), /^EnvironmentFile=-%h\/\.config\/monitor\/schedule\.env$/m)
    assert.ok(!result.stdout.includes('s3cret'))
  })

  it('cron keeps the settings as variable lines', async () => {
    const result = await runCli(['schedule', '--cron', ...BIN, '--host', 'nas'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^MONITOR_HOST=nas\n\* \* \* \* \* \/usr\/local\/bin\/monitor run --quiet$/m)
  })

  it('refuses a monitor the units could not see', async () => {
    const result = await runCli(['schedule', '--systemd', '--bin', '/tmp/monitor-x/bin/run.js'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^monitor: --bin: the units could not see \/tmp\/monitor-x\/bin\/run\.js /m)
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
    const main = readFileSync(join(ROOT, 'man', 'monitor.1'), 'utf8')
    assert.match(main, /\.SH EXIT STATUS/)
    assert.match(main, /^6 {2}some notifications could not be delivered yet/m)
    assert.match(main, /^\.B MONITOR_STATE_DIR$/m)
  })

  it('package.json installs every generated man page (npm install -g links them)', () => {
    const pages = readdirSync(join(ROOT, 'man')).filter((name) => name.endsWith('.1')).sort().map((name) => `./man/${name}`)
    assert.deepEqual((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {man: string[]}).man, pages)
  })

  it('each command lists only the exit codes it can return', async () => {
    const help = async (...id: string[]) => (await runCli([...id, '--help'])).stdout.split('EXIT CODES')[1]?.match(/^ {2}(\d) /gm)?.map((line) => Number(line.trim()))
    assert.deepEqual(await help('config', 'validate'), [0, 1, 2])
    assert.deepEqual(await help('alerts', 'list'), [0, 1, 2, 3])
    assert.deepEqual(await help('collect'), [0, 1, 2, 3, 4, 5])
    assert.deepEqual(await help('alert'), [0, 1, 2, 3, 5, 6])
  })
})
