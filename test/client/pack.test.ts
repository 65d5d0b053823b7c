import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { Fleet, FLEET_TOKEN, type Sidecar } from '../support/fleet';
import { createScratchDatabase, describeWithPostgres } from '../support/postgres';

const CLIENT = path.join(PROJECT_ROOT, 'packages', 'client');
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 240_000 });

const ESM_APP = `
import { Realmgate } from '@realmgate/client';
import { createMiddleware } from '@realmgate/client/express';
import express from 'express';
const c = new Realmgate({ url: process.env.URL, token: process.env.TOKEN, realm: 'packed' });
await c.realm().create();
await c.realm().putMembership({ user: 'ann', org: 'eng', permissions: ['orders:read'] });
const decision = await c.check({ subject: 'ann', org: 'eng', permission: 'orders:read' });
const { requirePermission } = createMiddleware(c);
const app = express();
app.get('/orgs/:org', requirePermission('orders:read', { subject: (req) => req.get('x-user'), org: (req) => req.params.org }), (req, res) => res.json({ ok: true }));
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = 'http://127.0.0.1:' + server.address().port;
const allowed = (await fetch(base + '/orgs/eng', { headers: { 'x-user': 'ann' } })).status;
const denied = (await fetch(base + '/orgs/ops', { headers: { 'x-user': 'ann' } })).status;
server.close();
console.log(JSON.stringify({ decision, allowed, denied }));
`;

const CJS_APP = `
const { Realmgate, RealmgateError } = require('@realmgate/client');
const c = new Realmgate({ url: process.env.URL, realm: 'packed' });
c.allowed({ subject: 'ann', org: 'eng', permission: 'orders:write' })
  .then(async (allowed) => {
    const err = await c.check({ subject: 'ann', permission: 'bad tag' }).catch((e) => e);
    console.log(JSON.stringify({ allowed, typed: err instanceof RealmgateError, code: err.code, status: err.status }));
  });
`;

/** The package as published: packed, installed from the tarball in a folder of its own, used from ESM and CommonJS. */
describeWithPostgres('npm pack of @realmgate/client', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let sidecar: Sidecar;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-client-install-'));

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    fleet = new Fleet(scratch.url);
    sidecar = fleet.add('packed');
    await fleet.startAll();
  }, 180_000);

  afterAll(async () => {
    try {
      await fleet?.close();
    } finally {
      await scratch?.drop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  test('installs from its tarball outside the repository and works from ESM and CommonJS', () => {
    const tarball = npm(['pack', '--silent', '--pack-destination', folder], CLIENT).trim().split('\n').pop()!;
    const listing = execFileSync('tar', ['-tzf', path.join(folder, tarball)], { encoding: 'utf8' }).split('\n');
    expect(listing).toEqual(expect.arrayContaining(['package/dist/esm/index.js', 'package/dist/cjs/index.js', 'package/dist/esm/express.d.ts', 'package/package.json']));
    expect(listing.some((f) => f.includes('test') || f.includes('scripts/'))).toBe(false);

    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'packed-app', private: true }));
    npm(['install', '--no-audit', '--no-fund', '--save-exact', path.join(folder, tarball), 'express@5.3.0'], folder);
    expect(fs.realpathSync(path.join(folder, 'node_modules', '@realmgate', 'client')).startsWith(fs.realpathSync(PROJECT_ROOT))).toBe(false);

    fs.writeFileSync(path.join(folder, 'app.mjs'), ESM_APP);
    fs.writeFileSync(path.join(folder, 'app.cjs'), CJS_APP);
    const env = { ...process.env, NODE_OPTIONS: '', URL: sidecar.base, TOKEN: FLEET_TOKEN };
    const esm = JSON.parse(execFileSync(process.execPath, ['app.mjs'], { cwd: folder, env, encoding: 'utf8', timeout: 30_000 }));
    expect(esm).toEqual({ decision: expect.objectContaining({ allowed: true, reason: 'granted' }), allowed: 200, denied: 403 });
    const cjs = JSON.parse(execFileSync(process.execPath, ['app.cjs'], { cwd: folder, env, encoding: 'utf8', timeout: 30_000 }));
    expect(cjs).toEqual({ allowed: false, typed: true, code: 'invalid_request', status: 400 });
  }, 300_000);
});
