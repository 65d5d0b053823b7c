import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { listenOnSocket } from '../../src/http/listenSocket';
import { acceptedHostNames, hostOfHeader } from '../../src/http/hostNames';
import { startHarness, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

/**
 * DNS rebinding: a page can make its own name resolve to 127.0.0.1, but its requests still say
 * that name in Host. On loopback only loopback names (and REALMGATE_ALLOWED_HOSTS) are answered;
 * anything else is a 421 before any route runs, the fast check path included. The Unix socket is
 * exempt.
 */
const check = { realm: 'acme', subject: 'ann', permission: 'orders:rw' };

describe('on TCP loopback', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { REALMGATE_ALLOWED_HOSTS: 'app.internal' } });
    await h.admin.put('/v1/realms/acme').expect(201);
  });
  afterAll(() => h.close());

  test.each(['localhost', 'localhost:8181', '127.0.0.1', '127.0.0.1:80', '[::1]', '[::1]:8181', 'LOCALHOST', 'app.internal', 'app.internal:9000'])(
    'Host: %s is answered',
    async (host) => {
      await h.http().post('/v1/check').set('Host', host).send(check).expect(200);
    },
  );

  test.each(['attacker.example', 'attacker.example:8181', '127.0.0.1.nip.io', 'localhost.attacker.example', '10.0.0.5', '[::2]', 'a b', ''])(
    'Host: %j is a 421 misdirected_request on the fast check path, management and probes alike',
    async (host) => {
      expectError(await h.http().post('/v1/check').set('Host', host).send(check), 421, 'misdirected_request');
      expectError(await h.http().post('/v1/check/batch').set('Host', host).send({ checks: [check] }), 421, 'misdirected_request');
      expectError(await h.admin.get('/v1/realms/acme').set('Host', host), 421, 'misdirected_request');
      expectError(await h.http().get('/healthz').set('Host', host), 421, 'misdirected_request');
    },
  );

  test('a refused request runs nothing: not even a write with the admin token', async () => {
    const before = h.runtime.deps.state.revision;
    expectError(await h.admin.put('/v1/realms/evil').set('Host', 'attacker.example'), 421, 'misdirected_request');
    expect(h.runtime.deps.state.revision).toBe(before);
  });

  describe('over the Unix socket', () => {
    let server: Server;
    const socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rg-sock-')), 'rg.sock');
    beforeAll(async () => {
      server = await listenOnSocket(h.app, socketPath, { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('any Host header is answered: no browser reaches a socket', async () => {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { socketPath, path: '/v1/check', method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json' } },
          (r) => {
            let body = '';
            r.on('data', (c: Buffer) => (body += c.toString()));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
          },
        );
        req.once('error', reject);
        req.end(JSON.stringify(check));
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ allowed: false, reason: 'unknown_user' });
    });
  });
});

describe('which Host names a listener accepts', () => {
  test('loopback: the loopback names and REALMGATE_ALLOWED_HOSTS', () => {
    expect([...(acceptedHostNames('127.0.0.1', undefined) ?? [])].sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(acceptedHostNames('::1', ['App.Internal'])?.has('app.internal')).toBe(true);
  });

  test('elsewhere: any name unless REALMGATE_ALLOWED_HOSTS lists them', () => {
    expect(acceptedHostNames('0.0.0.0', undefined)).toBeUndefined();
    expect([...(acceptedHostNames('0.0.0.0', ['rg.example.com']) ?? [])].sort()).toEqual(['127.0.0.1', '::1', 'localhost', 'rg.example.com']);
  });

  test.each([
    ['localhost:8181', 'localhost'],
    ['[::1]:80', '::1'],
    ['Example.COM.', 'example.com'],
    ['[zz]', undefined],
    ['a:b:c', undefined],
    ['a b', undefined],
  ])('Host %j is the name %j', (header, name) => {
    expect(hostOfHeader(header)).toBe(name);
  });
});

describe('on a non-loopback HOST', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { HOST: '0.0.0.0', REALMGATE_CHECK_AUTH: 'token' } });
  });
  afterAll(() => h.close());

  test('without REALMGATE_ALLOWED_HOSTS any Host is answered (checks need a token there)', async () => {
    await h.http().get('/healthz').set('Host', 'rg.example.com:8181').expect(200);
    expectError(await h.http().post('/v1/check').set('Host', 'rg.example.com').send(check), 401, 'unauthorized');
  });
});
