import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { bearerAuthHandler } from './http/bearerAuth';
import { OPENAPI_PATH } from './http/contractBodyValidator';
import { errorHandler } from './http/errorHandler';
import type { Lifecycle } from './http/lifecycle';
import { Metrics } from './http/metrics';
import { checkFastRoutes, checkRoutes } from './routes/check';
import { healthRoutes } from './routes/health';
import { membershipRoutes } from './routes/memberships';
import { metricsRoutes } from './routes/metrics';
import { orgRoutes } from './routes/orgs';
import { permissionRoutes } from './routes/permissions';
import { realmRoutes } from './routes/realms';
import { roleRoutes } from './routes/roles';
import { stateRoutes } from './routes/state';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { EventStreams } from './http/eventStreams';
import { DecisionLog } from './http/decisionLog';

export interface AppOptions {
  lifecycle: Lifecycle;
  adminToken: string;
  maxBodyBytes: number;
  /** tests turn this on: every response is checked against openapi.yaml */
  validateResponses?: boolean;
  onInternalError?: (err: unknown) => void;
  metrics?: Metrics;
  /** open event streams, so that shutdown can end them */
  streams?: EventStreams;
  /** where check decisions are logged; none when undefined */
  decisionLog?: DecisionLog;
}

/** Builds the HTTP app: JSON parsing, the OpenAPI contract (auth and validation), routes, errors. Never listens. */
export function createApp(options: AppOptions): Express {
  const { lifecycle } = options;
  const metrics = options.metrics ?? new Metrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: options.maxBodyBytes, strict: true }));
  // checks whose bodies conform are answered before the general validator middleware
  app.use(checkFastRoutes(lifecycle, metrics, options.validateResponses ?? false, options.decisionLog));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: OPENAPI_PATH,
      validateRequests: { allowUnknownQueryParameters: false, removeAdditional: false },
      validateResponses: options.validateResponses ?? false,
      validateSecurity: { handlers: { bearerAuth: bearerAuthHandler(options.adminToken) } },
      validateFormats: true,
    }),
  );
  app.use(
    healthRoutes(lifecycle),
    metricsRoutes(lifecycle, metrics),
    checkRoutes(lifecycle, metrics, options.decisionLog),
    permissionRoutes(lifecycle),
    realmRoutes(lifecycle, options.streams),
    orgRoutes(lifecycle),
    userRoutes(lifecycle),
    roleRoutes(lifecycle),
    membershipRoutes(lifecycle),
    stateRoutes(lifecycle),
    webhookRoutes(lifecycle),
  );
  app.use(errorHandler(options.onInternalError ?? ((err) => console.error('internal error:', err))));
  return app;
}
