#!/usr/bin/env node
// Generates the Prisma client offline. `prisma generate` never runs the schema engine, but the CLI
// still looks for (and would try to download) its native binary unless told where one is; pointing
// PRISMA_SCHEMA_ENGINE_BINARY at a placeholder keeps generation inside the npm registry's reach.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate', '--no-hints'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
