import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {runCli} from '../helpers/cli'
import {closedPort} from '../helpers/receivers'

// Usage errors are found before Redis is asked: a Redis nobody answers on proves it (that would be exit 3).
describe('every usage error: one line that says what, exit 2', async () => {
  const redis = `redis://127.0.0.1:${await closedPort()}/0`
  const cases: [string[], RegExp][] = [
    [['schedule'], /^monitor: Exactly one of the following must be provided: --cron, --systemd \(see monitor schedule --help\)$/],
    [['query'], /^monitor: Missing 1 required arg: series — Series names, metrics or globs \(one or more\)\. \(see monitor query --help\)$/],
    [['query', 'cpu.percent', '--csv', '--json'], /^monitor: --json=true cannot also be provided when using --csv \(see monitor query --help\)$/],
    [['alerts', 'silence', '--match', 'web1/*'], /^monitor: Missing required flag --for; Missing required flag --reason \(see monitor alerts silence --help\)$/],
    [['alerts', 'silence', '--match', 'x', '--for', '2x', '--reason', 'r'], /^monitor: --for: "2x" is not a duration such as 90s, 30m, 2h, 1d or 1w$/],
    [['alerts', 'history', '--since', 'x'], /^monitor: --since: "x" is not a duration/],
    [['alerts', 'ack'], /^monitor: Missing 1 required arg: key — .*\(see monitor alerts ack --help\)$/],
    [['alerts', 'unsilence'], /^monitor: Missing 1 required arg: id/],
    [['query', 'cpu.percent', '--since', 'bogus'], /^monitor: --since: "bogus" is not a duration/],
    [['query', 'cpu.percent', '--agg', 'nope'], /^monitor: --agg: unknown aggregate nope \(use avg, min, max, p95, last, count\)$/],
    [['query', 'cpu.percent', '--agg', 'avg', '--step', '5x'], /^monitor: --step: "5x" is not a duration/],
    [['query', 'cpu.percent', '--from', 'yesterday'], /^monitor: --from: "yesterday" is not an ISO time/],
    [['report', '--since', '1q'], /^monitor: --since: "1q" is not a duration/],
    [['report', '--format', 'pdf'], /^monitor: Expected --format=pdf to be one of: table, markdown, html, json, prometheus \(see monitor report --help\)$/],
    [['collect', '--tier', 'hourly'], /^monitor: Expected --tier=hourly to be one of: basic, detailed, extended, all/],
    [['collect', '--bogus'], /^monitor: Nonexistent flag: --bogus \(see monitor collect --help\)$/],
    [['alert', '--dry-run', '--flush'], /^monitor: --flush=true cannot also be provided when using --dry-run/],
    [['colect'], /^monitor: no command "colect"; did you mean "monitor collect"\? \(monitor --help lists them\)$/],
    [['alerts', 'lst'], /^monitor: no command "alerts lst"; did you mean "monitor alerts list"\?/],
    [['frobnicate'], /^monitor: no command "frobnicate" \(monitor --help lists them\)$/],
    [['colect', '--help'], /^monitor: no command "colect"; did you mean "monitor collect"\? \(monitor --help lists them\)$/],
    [['help', 'colect'], /^monitor: no command "colect"; did you mean "monitor collect"\?/],
    [['config', 'validate', '/nonexistent/monitor.yaml'], /^monitor: \/nonexistent\/monitor\.yaml: no such configuration file$/],
    [['--host', 'bad host!', 'series'], /^monitor: --host: "bad host!" is not a valid host name/],
  ]
  for (const [args, expected] of cases) {
    it(`monitor ${args.join(' ')}`, async () => {
      const result = await runCli([...args, '--redis-url', redis], {MONITOR_CONFIG: undefined})
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr.trim(), expected)
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line')
    })
  }

  it('help works as users type it: monitor help COMMAND, COMMAND -h, and global flags before the command', async () => {
    const help = await runCli(['help', 'alerts', 'ack'])
    assert.equal(help.code, 0, help.stderr)
    assert.match(help.stdout, /Acknowledge an alert/)
    const short = await runCli(['collect', '-h'])
    assert.equal(short.code, 0, short.stderr)
    assert.match(short.stdout, /USAGE\n {2}\$ monitor collect/)
    const before = await runCli(['--redis-url', redis, '--host', 'web9', 'config', 'show', '--json'])
    assert.equal(before.code, 0, before.stderr)
    assert.match(JSON.parse(before.stdout).redis.url, /^redis:\/\/127\.0\.0\.1:\d+\/0$/, 'config show prints the Redis URL in use')
  })
})
