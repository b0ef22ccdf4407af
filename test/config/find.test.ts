import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {ConfigError} from '../../src/cli/errors'
import {SEARCHED_NAMES} from '../../src/config/find'
import {loadConfig} from '../../src/config/load'
import {ROOT, runCli} from '../helpers/cli'

/** A fresh tree: a project directory with a child, a home, and a path for the system file. */
function tree(): {project: string; child: string; home: string; systemFile: string} {
  const root = mkdtempSync(join(tmpdir(), 'monitor-find-'))
  const project = join(root, 'project')
  const child = join(project, 'sub', 'dir')
  mkdirSync(child, {recursive: true})
  mkdirSync(join(root, 'home'))
  mkdirSync(join(root, 'etc'))
  return {project, child, home: join(root, 'home'), systemFile: join(root, 'etc', 'monitor.config.yaml')}
}

const warningOf = (text: string): string => (text.trimStart().startsWith('{') ? JSON.stringify({thresholds: {cpu: {warning: 61}}}) : text)
const YAML = 'thresholds:\n  cpu: {warning: 61}\n'

describe('configuration discovery: every place the docs promise, in order', () => {
  for (const name of SEARCHED_NAMES) {
    it(`finds ./${name} in the current directory and in a parent`, async () => {
      const {project, child, home, systemFile} = tree()
      const content = name === 'package.json' ? JSON.stringify({name: 'x', monitor: {thresholds: {cpu: {warning: 61}}}}) : name.endsWith('.json') ? warningOf('{') : YAML
      writeFileSync(join(project, name), content)
      for (const cwd of [project, child]) {
        const {config, source} = await loadConfig({cwd, home, systemFile, env: {}})
        assert.deepEqual([config.thresholds.cpu.warning, source], [61, join(project, name)])
      }
    })
  }

  it('skips a package.json without a "monitor" key, and never runs a JavaScript file it finds', async () => {
    const {project, home, systemFile} = tree()
    writeFileSync(join(project, 'package.json'), JSON.stringify({name: 'x'}))
    writeFileSync(join(project, 'monitor.config.js'), 'process.exit(9)\n')
    const {source} = await loadConfig({cwd: project, home, systemFile, env: {}})
    assert.equal(source, undefined)
  })

  it('then ~/.config/monitor/config.yaml and config.json, then /etc/monitor/monitor.config.yaml, then the defaults', async () => {
    const {project, home, systemFile} = tree()
    assert.equal((await loadConfig({cwd: project, home, systemFile, env: {}})).source, undefined)
    writeFileSync(systemFile, 'thresholds:\n  cpu: {warning: 63}\n')
    assert.equal((await loadConfig({cwd: project, home, systemFile, env: {}})).config.thresholds.cpu.warning, 63)
    mkdirSync(join(home, '.config', 'monitor'), {recursive: true})
    writeFileSync(join(home, '.config', 'monitor', 'config.json'), JSON.stringify({thresholds: {cpu: {warning: 62}}}))
    assert.equal((await loadConfig({cwd: project, home, systemFile, env: {}})).config.thresholds.cpu.warning, 62)
    writeFileSync(join(home, '.config', 'monitor', 'config.yaml'), YAML)
    assert.equal((await loadConfig({cwd: project, home, systemFile, env: {}})).source, join(home, '.config', 'monitor', 'config.yaml'))
    writeFileSync(join(project, 'monitor.config.yaml'), 'thresholds:\n  cpu: {warning: 64}\n')
    assert.equal((await loadConfig({cwd: project, home, systemFile, env: {}})).config.thresholds.cpu.warning, 64)
  })

  it('--config names any file, a JavaScript one included', async () => {
    const {project, home, systemFile} = tree()
    writeFileSync(join(project, 'settings.cjs'), 'module.exports = {thresholds: {cpu: {warning: 65}}}\n')
    assert.equal((await loadConfig({file: 'settings.cjs', cwd: project, home, systemFile, env: {}})).config.thresholds.cpu.warning, 65)
  })

  const syntax: [string, string, string][] = [
    ['monitor.config.yaml', 'thresholds:\n  cpu: {warning: 61\n', /line 3, column 1: /.source],
    ['monitor.config.yaml', 'a: 1\na: 2\n', /line 2, column 1: Map keys must be unique/.source],
    ['monitor.config.json', '{\n  "thresholds": {\n    "cpu": {"warning": 61,}\n  }\n}\n', /line 3, column 2\d: /.source],
  ]
  for (const [name, text, expected] of syntax) {
    it(`a syntax error in ${name} names the file, the line and the column (${JSON.stringify(text.slice(0, 20))}…)`, async () => {
      const {project, home, systemFile} = tree()
      writeFileSync(join(project, name), text)
      await assert.rejects(loadConfig({cwd: project, home, systemFile, env: {}}), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, new RegExp(`^${join(project, name).replace(/[.]/g, '\\.')}: ${expected}`))
        return true
      })
    })
  }

  it('as a user runs it: `monitor config show` in a directory with monitor.config.yaml uses that file', async () => {
    const {project, home} = tree()
    writeFileSync(join(project, 'monitor.config.yaml'), YAML, {mode: 0o600})
    const shown = await runCli(['config', 'show', '--json'], {HOME: home, MONITOR_CONFIG: undefined}, undefined, project)
    assert.equal(shown.code, 0, shown.stderr)
    assert.equal(JSON.parse(shown.stdout).thresholds.cpu.warning, 61)
  })

  it('the shipped files validate as shipped', async () => {
    for (const file of ['monitor.config.yaml']) {
      const result = await runCli(['config', 'validate', join(ROOT, 'config', file)])
      assert.equal(result.code, 0, result.stderr)
    }
  })
})
