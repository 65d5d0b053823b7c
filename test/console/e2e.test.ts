import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { waitForLine } from '../support/waitForLine';

/**
 * The console in Debian's Chromium against a real realmgate process (dist/, as `npm start` runs it)
 * on a copy of the PGlite template: one signed-in session walked through the views in order.
 * Every test leaves a screenshot in test-results/.
 */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const SHOTS = path.join(PROJECT_ROOT, 'test-results');
const ADMIN = 'console-e2e-admin-token-0123';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let child: ChildProcess;
let dataDir: string;
let origin: string;
let browser: Browser;
let page: Page;
let readToken: string;
let webhookId: string;
const requested: string[] = [];
const cspReports: string[] = [];

async function api(method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(origin + url, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `console-${name}.png`), fullPage: true });

async function tab(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Realm views' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 2 }).first().waitFor();
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-console-'));
  fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
  child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', HOST: '127.0.0.1', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: ADMIN, REALMGATE_CONSOLE: '', REALMGATE_LOG_LEVEL: 'info',
      // one attempt per delivery, to a closed port on this machine: it fails at once, for the retry button
      REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true', REALMGATE_WEBHOOK_RETRY_SCHEDULE: '0', REALMGATE_WEBHOOK_TIMEOUT_MS: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listening = waitForLine(child, /listening on http/);
  const ready = waitForLine(child, /ready at revision/);
  const port = /listening on http:\/\/[^\s"]*:(\d+)/.exec(await listening)?.[1];
  await ready;
  origin = `http://127.0.0.1:${port}`;
  await api('PUT', '/v1/realms/acme');
  await api('PUT', '/v1/realms/acme/orgs/store1');
  readToken = (await api('POST', '/v1/realms/acme/tokens', { name: 'auditor', scopes: ['read'] })).token;
  webhookId = (await api('POST', '/v1/realms/acme/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['user.created'] })).id;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('request', (req) => requested.push(req.url()));
  page.on('console', (msg) => /Content Security Policy/i.test(msg.text()) && cspReports.push(msg.text()));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('sign in with the admin token: the realms with their counts', async () => {
  await page.goto(`${origin}/console`);
  await page.getByLabel('Token').fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'not recognised' }).waitFor();
  await page.getByLabel('Token').fill(ADMIN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Realms' }).waitFor();
  const row = page.getByRole('row', { name: /acme/ });
  await expect(row.textContent()).resolves.toMatch(/acme\s*1\s*0\s*0\s*0/);
  expect(await page.getByTestId('who').textContent()).toContain('admin token');
  expect(await page.evaluate("sessionStorage.getItem('realmgate.console.token')")).toBe(ADMIN);
  await shot('1-realms');
});

test('an address that does not decode (/console/realms/%E0) opens the realm list, signed in still, without a script error', async () => {
  const errors: string[] = [];
  const onError = (err: Error) => errors.push(err.message);
  page.on('pageerror', onError);
  await page.goto(`${origin}/console/realms/%E0`);
  await page.getByRole('heading', { name: 'Realms' }).waitFor();
  expect(await page.getByTestId('who').textContent()).toContain('admin token');
  page.off('pageerror', onError);
  expect(errors).toEqual([]);
});

test('create a role: tags are checked as they are typed, the dry run shows its effect, then it is applied', async () => {
  await page.getByRole('link', { name: 'acme' }).click();
  await tab('Roles');
  await page.getByLabel('Role name').fill('clerk');
  const tags = page.getByLabel('Permissions', { exact: true });
  await tags.fill('orders:read orders/write');
  await expect(page.getByText('holds /: only letters, digits and * : ; . _ - may be used').isVisible()).resolves.toBe(true);
  expect(await tags.getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByRole('button', { name: 'Preview changes' }).isDisabled()).toBe(true);
  await tags.fill('orders:read orders:write');
  expect(await tags.getAttribute('aria-invalid')).toBe('false');
  await page.getByRole('button', { name: 'Preview changes' }).click();
  await expect(page.getByTestId('preview').textContent()).resolves.toContain('1 record(s) created');
  await page.getByRole('button', { name: 'Apply role change' }).click();
  await page.getByRole('status').filter({ hasText: 'Role clerk saved' }).waitFor();
  await expect(page.getByRole('row', { name: /clerk/ }).textContent()).resolves.toContain('orders:write');
  await shot('2-role');
});

test('add memberships, each previewed first; an expiry counts down', async () => {
  await tab('Memberships');
  await page.getByLabel('User', { exact: true }).fill('ann');
  await page.getByLabel('Org (empty for realm level)').fill('store1');
  await page.getByLabel('Roles (comma-separated)').fill('clerk');
  await page.getByRole('button', { name: 'Preview membership' }).click();
  const preview = page.getByTestId('preview');
  await expect(preview.textContent()).resolves.toMatch(/2 permission\(s\) gained/);
  expect(await preview.getByRole('table').first().textContent()).toContain('orders:write');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Applied at revision' }).waitFor();

  await page.getByLabel('User', { exact: true }).fill('bob');
  await page.getByLabel('Roles (comma-separated)').fill('');
  await page.getByLabel('Direct permissions').fill('reports:*');
  const inADay = new Date(Date.now() + 26 * 3600_000);
  const local = new Date(inADay.getTime() - inADay.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('Expires (optional, local time)').fill(local);
  await page.getByRole('button', { name: 'Preview membership' }).click();
  await expect(page.getByTestId('preview').textContent()).resolves.toMatch(/1 permission\(s\) gained.*reports:\*wildcard/s);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Applied at revision' }).waitFor();
  await expect(page.getByRole('row', { name: /bob/ }).textContent()).resolves.toMatch(/in 1d 1h/);
  await page.getByLabel('Filter by user, org or role').fill('clerk');
  expect(await page.getByRole('region', { name: 'Memberships table' }).getByRole('row').count()).toBe(2);
  await page.getByLabel('Filter by user, org or role').fill('');
  await shot('3-memberships');
});

test('the matrix of an org: users by tags, each cell saying through which role or grant', async () => {
  await tab('Matrix');
  await page.getByLabel('Org').selectOption('store1');
  const matrix = page.getByTestId('matrix');
  await matrix.waitFor();
  const headers = await matrix.locator('thead th').allTextContents();
  expect(headers).toEqual(['User', 'orders:read', 'orders:write', 'reports:*wildcard']);
  const cell = (user: string, tag: string) => matrix.locator(`tr[data-user="${user}"] td[data-tag="${tag}"]`);
  await expect(cell('ann', 'orders:read').textContent()).resolves.toBe('✓ role clerk grant orders:read');
  await expect(cell('ann', 'reports:*').textContent()).resolves.toBe('✗ not granted');
  await expect(cell('bob', 'reports:*').textContent()).resolves.toBe('✓ direct grant reports:*');
  await expect(cell('bob', 'orders:write').getAttribute('class')).resolves.toBe('denied');
  await page.locator('section[aria-labelledby="matrix-title"]').screenshot({ path: path.join(SHOTS, 'console-matrix.png') });
  await shot('4-matrix');
});

test('explain: a deny with its reason, an allow with its path (membership, role, grant)', async () => {
  await tab('Explain');
  await page.getByLabel('Org').selectOption('store1');
  await page.getByLabel('Subject (user)').fill('bob');
  await page.getByLabel('Permission').fill('orders:write');
  await page.getByRole('button', { name: 'Explain' }).click();
  const decision = page.getByTestId('decision');
  await expect(decision.textContent()).resolves.toMatch(/Denied: bob \/ store1 \/ orders:write.*Reason no_grant: no grant of the membership matches the permission.*reports:\*/s);
  await decision.screenshot({ path: path.join(SHOTS, 'console-explain-deny.png') });

  await page.getByLabel('Subject (user)').fill('bob');
  await page.getByLabel('Permission').fill('reports:monthly');
  await page.getByRole('button', { name: 'Explain' }).click();
  await decision.filter({ hasText: 'Allowed: bob / store1 / reports:monthly' }).waitFor();
  const steps = await decision.getByRole('list', { name: 'Decision path' }).getByRole('listitem').allTextContents();
  expect(steps[0]).toMatch(/^Membership of bob in store1, expiring /);
  expect(steps.slice(1)).toEqual(['Role: none, a direct grant', 'Grant reports:* (a wildcard matching reports:monthly)']);
  await page.locator('main').screenshot({ path: path.join(SHOTS, 'console-explain.png') });
  await shot('5-explain');
});

test('a role change is previewed (who gains, who loses) before it is applied', async () => {
  await tab('Roles');
  await page.getByRole('button', { name: 'Edit role clerk' }).click();
  await page.getByLabel('Permissions', { exact: true }).fill('orders:read\norders:refund');
  await page.getByRole('button', { name: 'Preview changes' }).click();
  const preview = page.getByTestId('preview');
  await expect(preview.getByRole('region', { name: 'Who gains' }).textContent()).resolves.toMatch(/annstore1orders:refund/);
  await expect(preview.getByRole('region', { name: 'Who loses' }).textContent()).resolves.toMatch(/annstore1orders:write/);
  await shot('6-role-preview');
  await page.getByRole('button', { name: 'Apply role change' }).click();
  await page.getByRole('status').filter({ hasText: 'Role clerk saved' }).waitFor();
  await page.getByRole('row', { name: /clerk/ }).filter({ hasText: 'orders:refund' }).waitFor();
  await expect(page.getByRole('row', { name: /clerk/ }).textContent()).resolves.not.toContain('orders:write');
});

test('live: a change made elsewhere arrives from the change stream', async () => {
  await tab('Live');
  await page.getByTestId('live-status').filter({ hasText: 'watching from revision' }).waitFor();
  await api('PUT', '/v1/realms/acme/users/carol');
  const first = page.getByTestId('events').getByRole('listitem').first();
  await first.waitFor();
  await expect(first.textContent()).resolves.toMatch(/user\.created\s*user carol · state active/);
  await shot('7-live');
});

test('webhooks: a failed delivery, and the button that queues it again', async () => {
  // carol's creation (above) was delivered to a closed port: wait until that attempt has failed
  for (let i = 0; i < 100; i += 1) {
    const { deliveries } = await api('GET', `/v1/realms/acme/webhooks/${webhookId}/deliveries?status=failed`);
    if (deliveries.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await tab('Webhooks');
  await page.getByRole('button', { name: 'http://127.0.0.1:9/hook' }).click();
  // ann, bob and carol were created: one delivery each, newest first
  const row = page.getByRole('region', { name: 'Deliveries table' }).getByRole('row', { name: /user\.created/ }).filter({ hasText: 'failed' }).first();
  await row.waitFor();
  await shot('8-webhooks');
  const retried = page.waitForResponse((res) => /\/deliveries\/\d+\/retry$/.test(res.url()));
  await row.getByRole('button', { name: /^Retry delivery/ }).click();
  expect((await retried).status()).toBe(202);
  expect(await page.getByRole('alert').count()).toBe(0);
});

test('disable a user: every cell of the row turns to denied', async () => {
  await tab('Users');
  await page.getByRole('button', { name: 'Disable ann' }).click();
  await page.getByRole('button', { name: 'Enable ann' }).waitFor();
  await tab('Matrix');
  await page.getByLabel('Org').selectOption('store1');
  const row = page.getByTestId('matrix').locator('tr[data-user="ann"]');
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  expect(cells.length).toBe(3);
  for (const text of cells) expect(text).toBe('✗ denied: the user is disabled');
  await shot('9-disabled');
});

async function seriousViolations(): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.each([
  [1280, 800],
  [390, 844],
])('no serious or critical accessibility violations at %ix%i', async (width, height) => {
  await page.setViewportSize({ width, height });
  // a view's own address loads the page again: the server answers it, the session is restored from this tab
  await page.goto(`${origin}/console/realms/acme/orgs`);
  await page.getByRole('heading', { name: 'Orgs' }).waitFor();
  const found: Record<string, string[]> = {};
  for (const view of ['Memberships', 'Matrix', 'Explain', 'Roles']) {
    await tab(view);
    if (view === 'Matrix') {
      await page.getByLabel('Org').selectOption('store1');
      await page.getByTestId('matrix').waitFor();
    }
    if (view === 'Explain') {
      await page.getByLabel('Subject (user)').fill('bob');
      await page.getByLabel('Permission').fill('orders:write');
      await page.getByRole('button', { name: 'Explain' }).click();
      await page.getByTestId('decision').waitFor();
    }
    found[view] = await seriousViolations();
    if (view === 'Matrix' || view === 'Explain') await shot(`10-${view.toLowerCase()}-${width}x${height}`);
  }
  await page.getByRole('link', { name: 'realmgate console' }).click();
  await page.getByRole('heading', { name: 'Realms' }).waitFor();
  found.Realms = await seriousViolations();
  await shot(`10-realms-${width}x${height}`);
  expect(found).toEqual({ Memberships: [], Matrix: [], Explain: [], Roles: [], Realms: [] });
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('sign out clears the token; a read-only realm token sees no write controls and no webhooks', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Token').waitFor();
  expect(await page.evaluate("sessionStorage.getItem('realmgate.console.token')")).toBeNull();
  {
    const violations = await seriousViolations();
    expect(violations).toEqual([]);
  }
  await shot('11-signed-out');

  // by keyboard alone: Tab to the field (its focus ring showing), type, Enter
  await page.keyboard.press('Tab');
  expect(await page.evaluate("document.activeElement.id + ' ' + getComputedStyle(document.activeElement).outlineStyle")).toBe('token solid');
  await page.keyboard.type(readToken);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Realms' }).waitFor();
  expect(await page.getByTestId('who').textContent()).toBe('auditor · realm acme · check, read');
  await page.getByRole('link', { name: 'acme' }).click();
  const tabs = await page.getByRole('navigation', { name: 'Realm views' }).getByRole('link').allTextContents();
  expect(tabs).toEqual(['Orgs', 'Users', 'Roles', 'Memberships', 'Matrix', 'Explain', 'Live']);
  await tab('Users');
  await page.getByRole('row', { name: /carol/ }).waitFor();
  expect(await page.getByRole('button', { name: /Disable|Enable/ }).count()).toBe(0);
  await tab('Roles');
  await page.getByRole('row', { name: /clerk/ }).waitFor();
  expect(await page.getByLabel('Role name').count()).toBe(0);
  expect(await page.getByRole('button', { name: /Edit role|Delete role/ }).count()).toBe(0);
  await page.getByText('Read only: this token lacks the write scope.').waitFor();
  await shot('12-read-token');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Token').waitFor();
  await page.reload();
  await page.getByLabel('Token').waitFor();

  // everything the browser asked for came from realmgate itself, and no URL carried a token
  expect(requested.length).toBeGreaterThan(10);
  expect(requested.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
  expect(requested.filter((u) => u.includes(ADMIN) || u.includes(readToken))).toEqual([]);
  // and the page never needed more than its Content-Security-Policy allows
  expect(cspReports).toEqual([]);
});
