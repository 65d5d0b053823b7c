import { Realmgate, SessionClock } from '@realmgate/client';
import { createOrdersApp, ensureRealm } from './app';

/**
 * REALMGATE_URL: the sidecar next to this app (checks). REALMGATE_MANAGEMENT_URL: where
 * memberships are written (another sidecar of the fleet; the same one by default).
 * REALMGATE_TOKEN: a token allowed to write. REALM: the realm (shop). PORT: 3000.
 */
async function main(): Promise<void> {
  const url = process.env.REALMGATE_URL ?? 'http://127.0.0.1:8181';
  const token = process.env.REALMGATE_TOKEN;
  const realm = process.env.REALM ?? 'shop';
  const clock = new SessionClock();
  const checks = new Realmgate({ url, token, realm, clock });
  const management = new Realmgate({ url: process.env.REALMGATE_MANAGEMENT_URL ?? url, token, realm, clock });
  await ensureRealm(management);
  const port = Number(process.env.PORT ?? 3000);
  createOrdersApp({ checks, management }).listen(port, '127.0.0.1', () => {
    process.stdout.write(`orders app on http://127.0.0.1:${port}, realm ${realm}, realmgate ${url}\n`);
  });
}

main().catch((err) => {
  process.stderr.write(`orders app: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
