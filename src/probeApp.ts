import express, { type Express } from 'express';
import type { Lifecycle } from './http/lifecycle';
import type { Metrics } from './http/metrics';
import { requestObservation } from './http/requestObservation';
import type { Logger } from './logger';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';

/**
 * The probe listener (REALMGATE_PROBE_PORT): GET /healthz, /readyz and /metrics, without a token,
 * for the kubelet and Prometheus on the cluster network. Anything else is a 404; nothing here
 * reads or changes policy.
 */
export function createProbeApp(options: { lifecycle: Lifecycle; metrics: Metrics; logger: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestObservation(options.logger, options.metrics));
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') next();
    else notFound(res);
  });
  app.use(healthRoutes(options.lifecycle), metricsRoutes(options.metrics));
  app.use((_req, res) => notFound(res));
  return app;
}

function notFound(res: express.Response): void {
  res.status(404).json({ error: { code: 'not_found', message: 'the probe listener serves only GET /healthz, /readyz and /metrics' } });
}
