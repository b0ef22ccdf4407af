#!/usr/bin/env node
// CommonJS on purpose: `require` loads the CLI ~1.5x faster than ESM `import`,
// and this process starts every 10 seconds. Subpaths rather than the package
// index, which would load all of oclif (~24 ms CPU more per start).
require('@oclif/core/execute').execute({dir: __dirname}).catch(require('@oclif/core/handle').handle)
