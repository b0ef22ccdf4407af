#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (no build step), for development.
require('@oclif/core/execute').execute({development: true, dir: __dirname}).catch(require('@oclif/core/handle').handle)
