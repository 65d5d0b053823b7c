import express, { type Request } from 'express';
import type { Realmgate } from '@realmgate/client';
import { createMiddleware } from '@realmgate/client/express';
import { OrderBook } from './orders';

/** The roles every org of the realm shares: one definition, every org at once. */
export const ROLES: Record<string, string[]> = {
  viewer: ['orders:read'],
  clerk: ['orders:read', 'orders:write'],
  owner: ['orders:*', 'members:invite'],
};

/** Creates the realm and its roles (idempotent), as the app does at start-up. */
export async function ensureRealm(management: Realmgate): Promise<void> {
  await management.realm().create();
  for (const [role, permissions] of Object.entries(ROLES)) await management.realm().putRole(role, permissions);
}

export interface OrdersAppDeps {
  /** asks the sidecar next to this app */
  checks: Realmgate;
  /** writes memberships; may be another sidecar of the fleet, sharing the session clock */
  management: Realmgate;
  orders?: OrderBook;
}

/**
 * A small orders API. The caller's identity comes from the X-User header, standing in for
 * whatever verified identity the app has (a session cookie, a JWT's `sub`); the org from the path.
 */
export function createOrdersApp({ checks, management, orders = new OrderBook() }: OrdersAppDeps): express.Express {
  const { requirePermission, anyOf } = createMiddleware(checks);
  const caller = { subject: (req: Request) => req.get('x-user'), org: (req: Request) => String(req.params.org) };
  const app = express();
  app.use(express.json());

  app.get('/orgs/:org/orders', requirePermission('orders:read', caller), (req, res) => {
    res.json({ orders: orders.list(String(req.params.org)) });
  });

  app.post('/orgs/:org/orders', requirePermission('orders:write', caller), (req, res) => {
    const { item, quantity } = req.body ?? {};
    if (typeof item !== 'string' || item === '' || !Number.isInteger(quantity) || quantity < 1) {
      res.status(400).json({ error: { code: 'invalid_request', message: 'item (a string) and quantity (a positive integer) are required' } });
      return;
    }
    res.status(201).json(orders.add(String(req.params.org), { item, quantity, createdBy: String(req.get('x-user')) }));
  });

  // the order's creator's colleagues with write access, or anyone allowed orders:cancel
  app.delete('/orgs/:org/orders/:id', anyOf(requirePermission('orders:cancel', caller), requirePermission('orders:write', caller)), (req, res) => {
    const removed = orders.remove(String(req.params.org), Number(req.params.id));
    res.status(removed ? 200 : 404).json(removed ? { deleted: true } : { error: { code: 'not_found', message: 'no such order' } });
  });

  // Invites a member: writes the membership (through the management sidecar), then reads its
  // effect through this app's own sidecar. The shared session clock makes that check wait until
  // the sidecar has the write, so the answer never misses it, even on another sidecar.
  app.post('/orgs/:org/members', requirePermission('members:invite', caller), async (req, res, next) => {
    const { user, role } = req.body ?? {};
    if (typeof user !== 'string' || !(role in ROLES)) {
      res.status(400).json({ error: { code: 'invalid_request', message: `user (a string) and role (one of ${Object.keys(ROLES).join(', ')}) are required` } });
      return;
    }
    try {
      const org = String(req.params.org);
      const written = await management.realm().putMembership({ user, org, roles: [role] });
      const decision = await checks.check({ subject: user, org, permission: 'orders:read' });
      res.status(written.created ? 201 : 200).json({ user, org, role, revision: written.revision, canReadOrders: decision.allowed, checkedAtRevision: decision.revision });
    } catch (err) {
      next(err);
    }
  });

  app.use((err: unknown, _req: Request, res: express.Response, _next: express.NextFunction) => {
    const status = (err as { status?: number }).status;
    res.status(status && status >= 400 && status < 500 ? 400 : 503).json({ error: { code: 'unavailable', message: 'the request could not be completed' } });
  });
  return app;
}
