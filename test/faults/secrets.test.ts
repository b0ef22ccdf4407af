import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {runCli, writeConfig} from '../helpers/cli'
import {closedPort} from '../helpers/receivers'
import {ownRedis} from '../helpers/redis-server'

/** A CA and a server certificate for 127.0.0.1, made with openssl (argument arrays, no shell). */
function certificates(): {cert: string; key: string; ca: string} {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-tls-'))
  const path = (name: string) => join(dir, name)
  const openssl = (args: string[]) => execFileSync('openssl', args, {stdio: 'ignore'})
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.crt'), '-days', '2', '-subj', '/CN=monitor test CA'])
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('srv.key'), '-out', path('srv.csr'), '-subj', '/CN=127.0.0.1'])
  writeFileSync(path('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n')
  openssl(['x509', '-req', '-in', path('srv.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('srv.crt'), '-days', '2', '-extfile', path('ext.cnf')])
  return {cert: path('srv.crt'), key: path('srv.key'), ca: path('ca.crt')}
}

describe('fault: secrets, authentication and TLS', () => {
  it('Redis AUTH works from the URL; a wrong password says so without showing it', async () => {
    const redis = await ownRedis({password: 'redis-Secr3t-pw'})
    try {
      const ok = await runCli(['collect', '--redis-url', redis.url, '--host', 'authed'])
      assert.equal(ok.code, 0, ok.stderr)
      const wrong = await runCli(['check', '--redis-url', redis.url.replace('redis-Secr3t-pw', 'not-the-Password'), '--host', 'authed'])
      assert.equal(wrong.code, 3)
      assert.match(wrong.stderr, /^monitor: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: WRONGPASS/m)
      assert.ok(!wrong.stderr.includes('not-the-Password') && !wrong.stderr.includes('redis-Secr3t-pw'))
    } finally {
      await redis.stop()
    }
  })

  it('rediss:// verifies the server against redis.tls_ca_file, and refuses an unknown CA', async () => {
    const tls = certificates()
    const redis = await ownRedis({tls})
    try {
      const config = writeConfig(`redis:\n  tls_ca_file: ${tls.ca}\n`)
      const ok = await runCli(['collect', '--config', config, '--redis-url', redis.url, '--host', 'tls'])
      assert.equal(ok.code, 0, ok.stderr)
      const untrusted = await runCli(['check', '--redis-url', redis.url, '--host', 'tls'])
      assert.equal(untrusted.code, 3)
      assert.match(untrusted.stderr, /cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+\/0: self-signed certificate/)
    } finally {
      await redis.stop()
    }
  })

  it('reads a secret from <key>_file and never shows it', async () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), 'monitor-secret-')), 'smtp')
    writeFileSync(secretFile, `smtp://mailer:File-Secret-77@127.0.0.1:${await closedPort()}\n`)
    const config = writeConfig(`alerts:\n  channels:\n    email:\n      recipients: [admin@example.com]\n      smtp_url_file: ${secretFile}\n`)
    const shown = await runCli(['config', 'show', '--json', '--config', config])
    assert.equal(shown.code, 0, shown.stderr)
    assert.match(JSON.parse(shown.stdout).alerts.channels.email.smtp_url, /^smtp:\/\/mailer:\*\*\*@127\.0\.0\.1:\d+$/)
    assert.ok(!shown.stdout.includes('File-Secret-77'))
    const missing = await runCli(['config', 'validate', writeConfig('alerts:\n  channels:\n    slack:\n      webhook_url_file: /nonexistent/slack\n')])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /alerts\.channels\.slack\.webhook_url_file: cannot read \/nonexistent\/slack: ENOENT/)
  })

  it('warns when a config file others can read holds a secret, and not once it is private', async () => {
    const config = writeConfig('alerts:\n  channels:\n    gotify:\n      url: https://gotify.example.com\n      token: Gotify-Literal-Token\n')
    chmodSync(config, 0o644)
    const open = await runCli(['config', 'validate', config])
    assert.match(open.stderr, /is readable by other users and holds a secret \(alerts\.channels\.gotify\.token\): chmod 600 it/)
    assert.ok(!open.stderr.includes('Gotify-Literal-Token'))
    chmodSync(config, 0o600)
    assert.equal((await runCli(['config', 'validate', config])).stderr, '')
    const fromEnv = writeConfig('alerts:\n  channels:\n    gotify:\n      url: https://gotify.example.com\n      token: ${GOTIFY_TOKEN}\n')
    assert.equal((await runCli(['config', 'validate', fromEnv], {GOTIFY_TOKEN: 't'})).stderr, '', '${ENV} holds no secret in the file')
  })

  it('keeps secrets out of --json output and of delivery errors', async () => {
    const port = await closedPort()
    const redis = await ownRedis()
    try {
      const config = writeConfig(`thresholds:\n  memory: {warning: 0.1, error: 99, critical: 100}\nalerts:\n  throttling: {grouping_window: 0}\n  delivery: {timeout: 1}\n  channels:\n    email: {recipients: [a@example.com], smtp_url: "smtp://u:Smtp-Pass-42@127.0.0.1:${port}"}\n    slack: {webhook_url: "http://127.0.0.1:${port}/services/T0/B0/Slack-Token-99", min_severity: warning}\n`)
      chmodSync(config, 0o600)
      const result = await runCli(['run', '--json', '--config', config, '--redis-url', redis.url, '--host', 'leaky'])
      assert.equal(result.code, 6, result.stderr)
      for (const secret of ['Smtp-Pass-42', 'Slack-Token-99']) {
        assert.ok(!result.stdout.includes(secret), `${secret} in stdout`)
        assert.ok(!result.stderr.includes(secret), `${secret} in stderr`)
      }
      const outbox = await runCli(['alerts', 'outbox', '--json', '--config', config, '--redis-url', redis.url])
      assert.ok(!outbox.stdout.includes('Slack-Token-99'))
      assert.match(outbox.stdout, /POST http:\/\/127\.0\.0\.1:\d+\/\*\*\* failed/)
    } finally {
      await redis.stop()
    }
  })
})
