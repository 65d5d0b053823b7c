/**
 * The operator's commands (check, import, export, token) against a real `realmgate serve` process,
 * through @realmgate/client: exit codes, rejected lines by number, resuming, the export/import
 * round trip, the progress bar only on a terminal, and the Unix socket.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { BIN, startSidecar, type Sidecar } from './sidecar';

let sidecar: Sidecar;

beforeAll(async () => {
  sidecar = await startSidecar();
}, 180_000);

afterAll(async () => {
  await sidecar?.stop();
});

/** Runs the CLI in process, connected through the environment unless the arguments say otherwise. */
async function cli(args: string[], env: Record<string, string> = { REALMGATE_URL: sidecar.url, REALMGATE_TOKEN: sidecar.token }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  return { code: await runCli(args, io), out, err };
}

async function api(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sidecar.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${sidecar.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function file(name: string, lines: string[]): string {
  const p = path.join(sidecar.dir, name);
  fs.writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

let realms = 0;
async function freshRealm(): Promise<string> {
  realms += 1;
  const realm = `cli-${realms}`;
  expect((await api('PUT', `/v1/realms/${realm}`)).status).toBe(201);
  return realm;
}

describe('check', () => {
  let realm: string;
  beforeAll(async () => {
    realm = await freshRealm();
    await api('PUT', `/v1/realms/${realm}/roles/clerk`, { permissions: ['orders:read'] });
    await api('PUT', `/v1/realms/${realm}/users/ann/memberships/north`, { roles: ['clerk'] });
  });

  test('an allowed check exits 0 and names the membership, role and grant', async () => {
    const { code, out } = await cli(['check', 'ann', 'orders:read', '--org', 'north', '--realm', realm]);
    expect(code).toBe(0);
    expect(out).toMatch(/^allowed: ann orders:read in org north/);
    expect(out).toMatch(/through: +role clerk/);
    expect(out).toMatch(/grant: +orders:read/);
  });

  test('a denied check exits 1 with the reason, and 0 with --exit-zero', async () => {
    const denied = await cli(['check', 'ann', 'orders:write', '--org', 'north', '--realm', realm]);
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/^denied: .*\n +reason: +no_grant/);
    expect((await cli(['check', 'ann', 'orders:write', '--org', 'north', '--realm', realm, '--exit-zero'])).code).toBe(0);
  });

  test('--json --explain prints the decision with the user\'s permissions there', async () => {
    const { code, out } = await cli(['check', 'ann', 'orders:read', '--org', 'north', '--realm', realm, '--json', '--explain']);
    expect(code).toBe(0);
    const answer = JSON.parse(out);
    expect(answer).toMatchObject({ allowed: true, reason: 'granted', match: { role: 'clerk', grant: 'orders:read' }, permissions: { roles: ['clerk'], permissions: ['orders:read'] } });
  });

  test('over the Unix socket, with the token from a file', async () => {
    const { code, out } = await cli(['check', 'ann', 'orders:read', '--org', 'north', '--realm', realm, '--socket', sidecar.socket, '--token-file', sidecar.tokenFile, '--json'], {});
    expect(code).toBe(0);
    expect(JSON.parse(out).allowed).toBe(true);
  });

  test('no sidecar to reach, or a bad URL, exits 2 with one line', async () => {
    const unreachable = await cli(['check', 'ann', 'orders:read', '--realm', realm, '--url', 'http://127.0.0.1:1']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toMatch(/^realmgate: realmgate could not be reached/);
    const bad = await cli(['check', 'ann', 'orders:read', '--url', 'ftp://x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--url must be an http/);
  });
});

describe('import', () => {
  test('every rejected line is reported by number, the others are written, and the exit code is 1', async () => {
    const realm = await freshRealm();
    const input = file('mixed.ndjson', [
      '{"kind": "role", "role": "clerk", "permissions": ["orders:read"]}',
      '{"user": "ann", "org": "north", "roles": ["clerk"]}',
      '{"user": "bo", "org": "south", "permissions": ["not a tag!"]}',
      '',
      'not json',
      '{"user": "cy", "org": "north", "roles": ["ghost"]}',
      '{"user": "dee", "permissions": ["reports.read"], "colour": "red"}',
      '{"user": "eve", "org": "south", "permissions": ["orders:write"]}',
    ]);
    const { code, out, err } = await cli(['import', input, '--realm', realm, '--json', '--batch-size', '2']);
    expect(code).toBe(1);
    expect(err).toBe('');
    const report = JSON.parse(out);
    expect(report.rejected.map((r: { line: number }) => r.line)).toEqual([3, 5, 6, 7]);
    expect(report.rejected[0]).toMatchObject({ line: 3, message: expect.stringMatching(/permissions\[0\] must match/) });
    expect(report.rejected[2].message).toMatch(/role 'ghost' does not exist/);
    expect(report.memberships.upserted).toBe(2);
    const summary = (await api('GET', `/v1/realms/${realm}`)).body;
    expect(summary).toMatchObject({ memberships: 2, roles: [{ name: 'clerk', permissions: ['orders:read'] }] });
  });

  test('a line the server refuses (an unknown role) is mapped back from its batch field to its line', async () => {
    const realm = await freshRealm();
    await api('PUT', `/v1/realms/${realm}/roles/clerk`, { permissions: ['orders:read'] });
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ user: `u${i}`, org: 'north', roles: [i === 6 ? 'ghost' : 'clerk'] }));
    const { code, out, err } = await cli(['import', file('ghost.ndjson', lines), '--realm', realm]);
    expect(code).toBe(1);
    expect(err).toBe("line 7: role 'ghost' does not exist in realm '" + realm + "'\n");
    expect(out).toMatch(/9 written/);
  });

  test('CSV and JSON files import alike; a bad CSV line is reported by its line number', async () => {
    const realm = await freshRealm();
    const csv = file('people.csv', ['user,org,roles,permissions,expiresAt', 'ann,north,,orders:read orders:write,', 'bo,,,reports.read,2099-01-01T00:00:00Z', 'cy,north,,bad tag!,']);
    const fromCsv = await cli(['import', csv, '--realm', realm, '--json']);
    expect(fromCsv.code).toBe(1);
    expect(JSON.parse(fromCsv.out).rejected.map((r: { line: number }) => r.line)).toEqual([4]);
    const json = path.join(sidecar.dir, 'people.json');
    fs.writeFileSync(json, JSON.stringify([{ user: 'dee', org: 'south', permissions: ['x'] }, { user: 'eve', permissions: ['y'] }]));
    expect((await cli(['import', json, '--realm', realm])).code).toBe(0);
    const ann = (await api('GET', `/v1/realms/${realm}/users/ann/permissions?org=north`)).body;
    expect(ann.permissions).toEqual(['orders:read', 'orders:write']);
    const bo = (await api('GET', `/v1/realms/${realm}/users/bo/memberships`)).body;
    expect(bo.memberships[0]).toMatchObject({ org: null, expiresAt: '2099-01-01T00:00:00.000Z' });
    expect((await api('GET', `/v1/realms/${realm}`)).body.memberships).toBe(4);
  });

  test('--from-line skips the lines before it', async () => {
    const realm = await freshRealm();
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ user: `u${i + 1}`, permissions: ['p'] }));
    const { code, out } = await cli(['import', file('resume.ndjson', lines), '--realm', realm, '--from-line', '4', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ skipped: 3, records: 3 });
    const users = (await api('GET', `/v1/realms/${realm}/users`)).body.users.map((u: { user: string }) => u.user);
    expect(users).toEqual(['u4', 'u5', 'u6']);
  });

  test('an import that stops (the realm does not exist) exits 2 and says where to resume', async () => {
    const { code, out } = await cli(['import', file('nowhere.ndjson', ['{"user": "ann"}']), '--realm', 'no-such-realm']);
    expect(code).toBe(2);
    expect(out).toMatch(/stopped: line 1 on: 404 realm_not_found/);
    expect(out).toMatch(/resume with: --from-line 1/);
  });

  // created: ann's membership, user ann and org north
  test('--dry-run prints who would gain what and writes nothing; --sync --dry-run shows deletions', async () => {
    const realm = await freshRealm();
    await api('PUT', `/v1/realms/${realm}/users/old/membership`, { permissions: ['legacy'] });
    const input = file('preview.ndjson', ['{"user": "ann", "org": "north", "permissions": ["orders:read"]}']);
    const batch = await cli(['import', input, '--realm', realm, '--dry-run']);
    expect(batch.code).toBe(0);
    expect(batch.out).toMatch(/would grant 1 and revoke 0/);
    expect(batch.out).toMatch(/\+ ann north orders:read/);
    const sync = await cli(['import', input, '--realm', realm, '--dry-run', '--sync', '--json']);
    expect(JSON.parse(sync.out).preview).toMatchObject({ changes: { created: 3, deleted: 1 }, effect: { revoked: [{ user: 'old', org: null, permission: 'legacy' }] } });
    expect((await api('GET', `/v1/realms/${realm}`)).body.memberships).toBe(1);
  });

  test('--sync makes the realm exactly the file; a rejected line syncs nothing', async () => {
    const realm = await freshRealm();
    await api('PUT', `/v1/realms/${realm}/users/old/membership`, { permissions: ['legacy'] });
    const bad = await cli(['import', file('sync-bad.ndjson', ['{"user": "ann", "permissions": ["a"]}', '{"user": "bo", "permissions": ["b"], "expiresAt": "2001-01-01T00:00:00Z"}']), '--realm', realm, '--sync']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^line 2: expiresAt must be in the future/);
    expect(bad.out).toMatch(/nothing was synced/);
    expect((await api('GET', `/v1/realms/${realm}/users/old/memberships`)).body.memberships).toHaveLength(1);
    const good = await cli(['import', file('sync.ndjson', ['{"user": "ann", "permissions": ["a"]}']), '--realm', realm, '--sync', '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out).memberships).toEqual({ upserted: 1, unchanged: 0, deleted: 1 });
  });

  test('no progress bar when stderr is not a terminal', async () => {
    const realm = await freshRealm();
    const input = file('quiet.ndjson', Array.from({ length: 50 }, (_, i) => JSON.stringify({ user: `q${i}`, permissions: ['p'] })));
    const child = spawn(process.execPath, [BIN, 'import', input, '--realm', realm, '--batch-size', '10'], {
      env: { ...process.env, REALMGATE_URL: sidecar.url, REALMGATE_TOKEN: sidecar.token, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/50 written/);
  });
});

describe('export', () => {
  test('export, then import into the emptied realm, gives back the same /v1/state digest and the same bundle', async () => {
    const realm = await freshRealm();
    await api('PUT', `/v1/realms/${realm}/roles/clerk`, { permissions: ['orders:read', 'orders:*'] });
    await api('PUT', `/v1/realms/${realm}/roles/unused`, { permissions: [] });
    await api('PUT', `/v1/realms/${realm}/orgs/empty`);
    await api('PUT', `/v1/realms/${realm}/users/idle`, {});
    await api('POST', `/v1/realms/${realm}/memberships/batch`, {
      upsert: [
        { user: 'ann', org: 'north', roles: ['clerk'], permissions: ['x:1'], expiresAt: '2099-05-01T00:00:00Z' },
        { user: 'ann', permissions: ['reports.read'] },
        { user: 'zed', org: 'south', roles: ['clerk'] },
      ],
    });
    await api('PUT', `/v1/realms/${realm}/users/zed`, { state: 'disabled' });
    const before = (await api('GET', '/v1/state')).body;

    const bundle = path.join(sidecar.dir, 'bundle.ndjson');
    const exported = await cli(['export', '--realm', realm, '--output', bundle, '--json']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.out)).toMatchObject({ roles: 2, orgs: 3, users: 3, memberships: 3 });
    const stdout = await cli(['export', '--realm', realm]);
    expect(stdout.out).toBe(fs.readFileSync(bundle, 'utf8'));

    await api('DELETE', `/v1/realms/${realm}`);
    await api('PUT', `/v1/realms/${realm}`);
    const imported = await cli(['import', bundle, '--realm', realm]);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const after = (await api('GET', '/v1/state')).body;
    expect(after.digest).toBe(before.digest);
    expect((await cli(['export', '--realm', realm])).out).toBe(stdout.out);
  });

  test('the listings behind it page by cursor', async () => {
    const realm = await freshRealm();
    await api('POST', `/v1/realms/${realm}/memberships/batch`, { upsert: ['a', 'b', 'c'].flatMap((u) => [{ user: u }, { user: u, org: 'o1' }]) });
    const first = (await api('GET', `/v1/realms/${realm}/memberships?limit=4`)).body;
    expect(first.memberships.map((m: { user: string; org: string | null }) => `${m.user}/${m.org ?? ''}`)).toEqual(['a/', 'a/o1', 'b/', 'b/o1']);
    const second = (await api('GET', `/v1/realms/${realm}/memberships?limit=4&cursor=${encodeURIComponent(first.next)}`)).body;
    expect(second.memberships.map((m: { user: string }) => m.user)).toEqual(['c', 'c']);
    expect(second.next).toBeNull();
    expect((await api('GET', `/v1/realms/${realm}/orgs`)).body).toEqual({ orgs: ['o1'], next: null });
    expect((await api('GET', `/v1/realms/${realm}/memberships?cursor=nonsense`)).status).toBe(400);
    expect((await api('GET', '/v1/realms/no-such/users')).status).toBe(404);
  });
});

describe('token', () => {
  test('create prints the secret once, list shows it without, revoke refuses it from then on', async () => {
    const realm = await freshRealm();
    const created = await cli(['token', 'create', '--realm', realm, '--name', 'orders service', '--scopes', 'read', '--json']);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.out);
    expect(token.token).toMatch(/^rgt_/);
    const listed = await cli(['token', 'list', '--realm', realm, '--json']);
    expect(JSON.parse(listed.out)).toEqual([{ id: token.id, name: 'orders service', scopes: ['read'], createdAt: token.createdAt, expiresAt: null }]);
    expect(listed.out).not.toContain(token.token);
    // the new token reads through the CLI too
    expect((await cli(['export', '--realm', realm], { REALMGATE_URL: sidecar.url, REALMGATE_TOKEN: token.token })).code).toBe(0);
    expect((await cli(['token', 'revoke', token.id, '--realm', realm])).code).toBe(0);
    const refused = await cli(['export', '--realm', realm], { REALMGATE_URL: sidecar.url, REALMGATE_TOKEN: token.token });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/answered 401/);
  });

  test('bad scopes are a usage error (exit 2)', async () => {
    const { code, err } = await cli(['token', 'create', '--realm', 'x', '--name', 'n', '--scopes', 'read,root']);
    expect(code).toBe(2);
    expect(err).toMatch(/--scopes must be/);
  });
});

describe('help', () => {
  test.each([['check'], ['import'], ['export'], ['token'], ['token', 'create'], ['token', 'list'], ['token', 'revoke']])('%s --help shows examples and exits 0', async (...command) => {
    let out = '';
    const code = await runCli([...command, '--help'], { out: (t) => void (out += t), err: () => undefined, env: {} });
    expect(code).toBe(0);
    expect(out).toMatch(/Examples:\n {2}\$ realmgate /);
  });
});
