import fs from 'node:fs';
import path from 'node:path';
import { CONSOLE_DIR } from '../../src/routes/console';
import { startHarness, type Harness } from '../support/harness';

/** The web console as realmgate serves it: its page, its files, their headers, and the switch that turns it off. */

function expectSafeHeaders(headers: Record<string, string>): void {
  const csp = headers['content-security-policy'];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
}

/** Every file the built page loads: the script and style sheet index.html names. */
function assetPaths(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
}

describe('GET /console (served)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  test('the page, with a strict Content-Security-Policy, nosniff and no framing', async () => {
    const res = await h.http().get('/console').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<div id="app"></div>');
    expectSafeHeaders(res.headers);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  test.each(['/console/', '/console/realms/acme', '/console/realms/acme/matrix', '/console/realms/a%20b/explain?x=1'])('%s: the same page (the app routes it)', async (url) => {
    const page = await h.http().get('/console').expect(200);
    const res = await h.http().get(url).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toBe(page.text);
    expectSafeHeaders(res.headers);
  });

  test('its script and style sheet are served from /console/assets/, cached for good, with the same headers', async () => {
    const page = await h.http().get('/console').expect(200);
    const assets = assetPaths(page.text);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/console\/assets\/[\w.-]+\.(js|css)$/);
      const res = await h.http().get(asset).expect(200);
      expect(res.headers['content-type']).toMatch(asset.endsWith('.js') ? /^(text|application)\/javascript/ : /^text\/css/);
      expect(res.headers['cache-control']).toMatch(/immutable/);
      expectSafeHeaders(res.headers);
    }
  });

  test('nothing the page loads is fetched from the network: no URL of another origin in the page or the style sheet, no inline script', async () => {
    const page = await h.http().get('/console').expect(200);
    expect(page.text).not.toMatch(/https?:\/\/|src="\/\/|href="\/\//);
    // every <script> has a src: the policy allows no inline script
    expect([...page.text.matchAll(/<script\b[^>]*>/g)].every((m) => /\bsrc="\/console\/assets\//.test(m[0]))).toBe(true);
    const files = fs.readdirSync(path.join(CONSOLE_DIR, 'assets'));
    for (const file of files.filter((f) => f.endsWith('.css'))) {
      const css = fs.readFileSync(path.join(CONSOLE_DIR, 'assets', file), 'utf8');
      expect(css).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
    }
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const js = fs.readFileSync(path.join(CONSOLE_DIR, 'assets', file), 'utf8');
      // no module loaded from elsewhere
      expect(js).not.toMatch(/import\s*\(\s*['"`]https?:|from\s*['"`]https?:/);
    }
  });

  test('a missing asset is a JSON 404, not the page', async () => {
    const res = await h.http().get('/console/assets/nothing-here.js').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no console file at /console/assets/nothing-here.js' } });
  });

  test('only GET and HEAD', async () => {
    const res = await h.http().post('/console/realms/acme').send({}).expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.body.error.code).toBe('method_not_allowed');
    await h.http().post('/console').send({}).expect(405);
    const head = await h.http().head('/console/realms/acme').expect(200);
    expect(head.headers['content-type']).toMatch(/^text\/html/);
  });

  test('conditional and range headers are ignored: the page and its files are sent whole', async () => {
    const page = await h.http().get('/console').set('If-Match', '1 2').set('Range', 'bytes=5-1').expect(200);
    expect(page.text).toContain('<div id="app"></div>');
    const script = assetPaths(page.text).find((a) => a.endsWith('.js')) as string;
    const res = await h.http().get(script).set('If-Match', '"nope"').set('If-Unmodified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT').set('Range', 'bytes=999999-').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(Number(res.headers['content-length'])).toBe(fs.statSync(path.join(CONSOLE_DIR, script.replace('/console/', ''))).size);
  });

  test.each([
    '/console/assets/../../package.json',
    '/console/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
    '/console/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
    '/console/assets/..%2f..%2f..%2fpackage.json',
    '/console/assets/..%5c..%5c..%5cpackage.json',
    '/console/assets/%252e%252e/%252e%252e/index.html',
    '/console/assets/..%2findex.html',
    '/console/assets/%2Fetc%2Fpasswd',
    '/console/assets//etc/passwd',
    '/console/assets/index.html%00.js',
    '/console/assets/%00',
    '/console/assets/%E0%A4%A',
    '/console/assets/',
    '/console/assets/.env',
    '/console/assets/.%2e/.%2e/package.json',
    `/console/assets/${'a'.repeat(5000)}.js`,
    `/console/assets/${'a/'.repeat(2000)}x.js`,
    '/console/%2e%2e/%2e%2e/package.json',
    '/console/..%2f..%2fpackage.json',
    '/console/.git/config',
  ].map((url) => [url.length > 80 ? `${url.slice(0, 40)}… (${url.length} characters)` : url, url]))('%s: the page, a built file or a JSON error; nothing from outside the build folder', async (_label, url) => {
    const page = await h.http().get('/console').expect(200);
    const built = fs.readdirSync(path.join(CONSOLE_DIR, 'assets')).map((f) => fs.readFileSync(path.join(CONSOLE_DIR, 'assets', f), 'utf8'));
    const res = await h.http().get(url).buffer(true).parse((r, done) => {
      let text = '';
      r.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      r.on('end', () => done(null, text));
    });
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) expect([page.text, ...built]).toContain(res.body);
    else {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body).error.code).toBe('not_found');
    }
    expect(res.body).not.toMatch(/"name": "realmgate"|root:x:0|\[core\]|\n\s+at /);
  });

  test('OPTIONS anywhere under /console: 204 with the methods it takes; another method, a 405 naming the same', async () => {
    for (const url of ['/console', '/console/', '/console/realms/acme', '/console/assets/nothing.js']) {
      const options = await h.http().options(url).expect(204);
      expect(options.headers.allow).toBe('GET, HEAD, OPTIONS');
      const put = await h.http().put(url).send({}).expect(405);
      expect(put.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(put.body.error.code).toBe('method_not_allowed');
    }
  });

  test('a foreign Host header is refused like on every route (421)', async () => {
    const res = await h.http().get('/console').set('Host', 'rebind.example.com').expect(421);
    expect(res.body.error.code).toBe('misdirected_request');
    await h.http().get('/console/assets/nothing.js').set('Host', 'rebind.example.com').expect(421);
  });

  test('the page gives no access by itself: the API still wants a token', async () => {
    await h.http().get('/v1/whoami').expect(401);
    await h.http().get('/v1/state').expect(401);
  });
});

describe('REALMGATE_CONSOLE=false', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { REALMGATE_CONSOLE: 'false' } });
  });
  afterAll(() => h.close());

  test.each(['/console', '/console/', '/console/realms/acme', '/console/assets/x.js'])('%s is a JSON 404', async (url) => {
    const res = await h.http().get(url).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'the console is turned off (REALMGATE_CONSOLE=false)' } });
    expect(res.headers['content-security-policy']).toBeUndefined();
  });

  test('the API is served as before', async () => {
    await h.http().get('/healthz').expect(200);
  });
});
