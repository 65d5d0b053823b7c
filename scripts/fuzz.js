#!/usr/bin/env node
// npm run fuzz -- --requests N [--seed S]: the fuzz test of test/fuzz, longer (or replayed with a seed).
const { spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' }, seed: { type: 'string' } } });
if (!/^[0-9]+$/.test(values.requests) || (values.seed !== undefined && !/^-?[0-9]+$/.test(values.seed))) {
  console.error('usage: npm run fuzz -- --requests N [--seed S]');
  process.exit(2);
}
const env = { ...process.env, FUZZ_REQUESTS: values.requests, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() };
if (values.seed !== undefined) env.FUZZ_SEED = values.seed;
const jest = require.resolve('jest/bin/jest');
const run = spawnSync(process.execPath, [jest, 'test/fuzz', '--runInBand'], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
