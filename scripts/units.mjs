#!/usr/bin/env node
// Writes config/systemd/ from the same generator `monitor schedule --systemd`
// uses, for the default configuration and /usr/local/bin/monitor. Run by `npm run build`.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

const require = createRequire(import.meta.url)
const {systemdUnits} = require('../lib/schedule/units.js')
const {defaults} = require('../lib/config/defaults.js')
const dir = new URL('../config/systemd/', import.meta.url).pathname
rmSync(dir, {recursive: true, force: true})
mkdirSync(dir, {recursive: true})
const files = systemdUnits(defaults, '/usr/local/bin/monitor', false, {env: {}, digest: false})
for (const file of files) writeFileSync(join(dir, file.name), file.content)
console.log(`units: wrote ${files.length} files to config/systemd/`)
