import { Router } from 'express';
import type { Lifecycle } from '../http/lifecycle';

export function healthRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  /** Ready once the policy is loaded and no more than REALMGATE_READY_MAX_LAG revisions behind the database. */
  router.get('/readyz', (_req, res) => {
    const deps = lifecycle.deps;
    if (lifecycle.shuttingDown) {
      res.status(503).json({ ready: false, reason: 'shutting_down' });
      return;
    }
    if (!deps) {
      const waiting = lifecycle.waiting;
      res.status(503).json(waiting ? { ready: false, reason: waiting.reason, error: waiting.message, attempts: waiting.attempts } : { ready: false, reason: 'loading' });
      return;
    }
    const { fleet, state, config } = deps;
    const lagging = fleet.lag > config.readyMaxLag;
    res.status(lagging ? 503 : 200).json({
      ready: !lagging,
      ...(lagging ? { reason: 'lagging' } : {}),
      revision: state.revision,
      head: fleet.head,
      lag: fleet.lag,
      listening: fleet.listening,
      realms: config.realms ?? null,
      backend: deps.db.kind,
    });
  });
  return router;
}
