import type { RequestListener } from 'node:http';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { Authenticator, securityHandlers } from './http/bearerAuth';
import { checkAdmission, checkGate } from './http/checkGate';
import { extAuthzHostGuard, hostGuard } from './http/hostGuard';
import { LOOPBACK_NAMES } from './http/hostNames';
import { OPENAPI_PATH } from './http/contractBodyValidator';
import { errorHandler } from './http/errorHandler';
import { responseContract } from './http/responseContract';
import { EXT_AUTHZ_PREFIX } from './http/extAuthzPath';
import type { Lifecycle } from './http/lifecycle';
import { Metrics } from './http/metrics';
import { requestObservation } from './http/requestObservation';
import { createLogger, type Logger } from './logger';
import type { ExtAuthzSettings } from './extAuthz/settings';
import { allowedMethods, declaredLengthLimit, rejectEmptyJson, strictQuery } from './http/strictInput';
import { checkFastRoutes, checkRoutes } from './routes/check';
import { aheadOfApp, checkHotPath, resumeFromHotPath } from './routes/checkHotPath';
import { extAuthzRoutes } from './routes/extAuthz';
import { healthRoutes } from './routes/health';
import { membershipRoutes } from './routes/memberships';
import { metricsRoutes } from './routes/metrics';
import { orgRoutes } from './routes/orgs';
import { permissionRoutes } from './routes/permissions';
import { realmListingRoutes } from './routes/realmListings';
import { realmRoutes } from './routes/realms';
import { roleRoutes } from './routes/roles';
import { stateRoutes } from './routes/state';
import { tokenRoutes } from './routes/tokens';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { consoleRoutes } from './routes/console';
import { whoamiRoutes } from './routes/whoami';
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
  /** REALMGATE_CHECK_AUTH; `none` unless given */
  checkAuth?: 'none' | 'token';
  /** the Host header names accepted over TCP (see hostNames.acceptedHostNames); the loopback names unless given */
  acceptedHosts?: ReadonlySet<string> | 'any';
  /** access logs and internal errors go here; without one, warnings and errors go to stdout */
  logger?: Logger;
  /** serves Envoy's HTTP ext_authz under /ext-authz/ when set */
  extAuthz?: ExtAuthzSettings;
  /** open event streams, so that shutdown can end them */
  streams?: EventStreams;
  /** where check decisions are logged; none when undefined */
  decisionLog?: DecisionLog;
  /** serves the web console at /console (REALMGATE_CONSOLE); off unless given */
  console?: boolean;
}

/**
 * Builds the HTTP app: JSON parsing, the OpenAPI contract (auth and validation), routes, errors,
 * with the check hot path ahead of it. Never listens: the result is a server's request listener.
 */
export function createApp(options: AppOptions): RequestListener {
  const { lifecycle } = options;
  const metrics = options.metrics ?? new Metrics({ deps: () => lifecycle.deps });
  const logger = options.logger ?? createLogger('warn');
  const auth = new Authenticator(options.adminToken, lifecycle);
  const hosts = options.acceptedHosts ?? new Set(LOOPBACK_NAMES);
  const reportInternal =
    options.onInternalError ??
    ((err: unknown, req: express.Request) => (req.log ?? logger).error({ err, reqId: (req as { id?: unknown }).id }, 'internal error'));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const parseJson = express.json({ limit: options.maxBodyBytes, strict: true, verify: rejectEmptyJson });
  const admitCheck = options.checkAuth === 'token' ? checkAdmission(auth, lifecycle) : undefined;
  const hot = logger.isLevelEnabled('debug')
    ? undefined
    : checkHotPath({ lifecycle, metrics, logger, hosts: hosts === 'any' ? undefined : hosts, maxBodyBytes: options.maxBodyBytes, parseJson, admit: admitCheck, validateResponses: options.validateResponses ?? false, decisionLog: options.decisionLog });
  if (hot) app.use(resumeFromHotPath);
  app.use(requestObservation(logger, metrics));
  // ext_authz reads no body and answers for the proxied request's path (its Host is the end user's), so it goes before the Host guard
  app.use(EXT_AUTHZ_PREFIX, extAuthzHostGuard(hosts === 'any' ? undefined : hosts));
  app.use(extAuthzRoutes(lifecycle, metrics, options.extAuthz));
  // before anything else that answers, the fast check path included
  app.use(hostGuard(hosts === 'any' ? undefined : hosts));
  app.use(declaredLengthLimit(options.maxBodyBytes), strictQuery(), allowedMethods());
  app.use(consoleRoutes(options.console ?? false));
  app.use(parseJson);
  if (admitCheck) app.post(['/v1/check', '/v1/check/batch'], checkGate(auth, lifecycle));
  // checks whose bodies conform are answered before the general validator middleware
  app.use(checkFastRoutes(lifecycle, metrics, options.validateResponses ?? false, options.decisionLog));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: OPENAPI_PATH,
      validateRequests: { allowUnknownQueryParameters: false, removeAdditional: false },
      // responses are checked by responseContract below, against one compiled copy of the document
      validateResponses: false,
      validateSecurity: { handlers: securityHandlers(auth) },
      validateFormats: true,
    }),
  );
  if (options.validateResponses) app.use(responseContract((err, req) => reportInternal(err, req)));
  app.use(
    healthRoutes(lifecycle),
    metricsRoutes(metrics),
    checkRoutes(lifecycle, metrics, options.decisionLog),
    permissionRoutes(lifecycle),
    realmRoutes(lifecycle, options.streams),
    orgRoutes(lifecycle),
    userRoutes(lifecycle),
    roleRoutes(lifecycle),
    membershipRoutes(lifecycle),
    realmListingRoutes(lifecycle),
    stateRoutes(lifecycle),
    whoamiRoutes(lifecycle, auth),
    tokenRoutes(lifecycle),
    webhookRoutes(lifecycle),
  );
  app.use(errorHandler(reportInternal));
  return hot ? aheadOfApp(hot, app) : app;
}
