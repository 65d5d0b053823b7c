import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';

const CLIENT = path.join(PROJECT_ROOT, 'packages', 'client');

test('the client package types are the ones openapi.yaml generates now (else: npm run generate -w @realmgate/client)', () => {
  // the generator loads ES modules, so it runs in its own process and prints the file it would write
  const fresh = execFileSync(process.execPath, [path.join(CLIENT, 'scripts', 'generate-types.cjs')], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const committed = fs.readFileSync(path.join(CLIENT, 'src', 'generated', 'openapi.ts'), 'utf8');
  expect(fresh.length).toBeGreaterThan(1000);
  expect(committed === fresh).toBe(true);
});
