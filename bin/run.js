#!/usr/bin/env node
// CommonJS on purpose: `require` loads the CLI ~1.5x faster than ESM `import`,
// and this process starts every 10 seconds.
//
// V8's code cache halves start-up CPU (collect --tier basic: 152 -> 86 ms,
// `npm run bench`). It is kept in this user's own cache directory (systemd's
// CacheDirectory= when set), never in a shared /tmp path another user could
// plant. An unwritable directory only means no cache. DISABLE_V8_COMPILE_CACHE=1
// turns it off.
if (!process.env.V8_COMPILE_CACHE_CACHE_DIR) {
  const {join} = require('node:path')
  const base = process.env.CACHE_DIRECTORY || join(process.env.XDG_CACHE_HOME || join(require('node:os').homedir(), '.cache'), 'monitor')
  process.env.V8_COMPILE_CACHE_CACHE_DIR = join(base, 'v8-compile-cache')
}
require('v8-compile-cache')
require('@oclif/core').execute({dir: __dirname}).catch(require('@oclif/core').handle)
