#!/usr/bin/env node
// CommonJS on purpose: `require` loads the CLI ~1.5x faster than ESM `import`,
// and this process starts every 10 seconds.
require('@oclif/core').execute({dir: __dirname}).catch(require('@oclif/core').handle)
