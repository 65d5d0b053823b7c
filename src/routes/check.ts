import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ValidateFunction } from 'ajv';
import { performance } from 'node:perf_hooks';
import type { DecisionLog } from '../http/decisionLog';
import { contractBodyValidator, contractResponseValidator } from '../http/contractBodyValidator';
import { confinedRealm } from '../http/checkGate';
import { ready, type Lifecycle } from '../http/lifecycle';
import type { Metrics } from '../http/metrics';
import { awaitRevision } from '../services/awaitRevision';
import { checkAccess, checkAccessBatch, confineChecks, revisionWanted, type CheckInput, type CheckResult } from '../services/checkAccess';
import type { ServiceDeps } from '../services/deps';

type Send = (res: Response, body: unknown) => void;

/** JSON written straight to the socket: what res.json does, without its content negotiation and ETag work. */
const send: Send = (res, body) => {
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
};

/** Checks each response body against openapi.yaml before sending it (tests turn this on). */
function sendChecked(validate: ValidateFunction): Send {
  return (res, body) => {
    if (!validate(body)) throw new Error(`response does not match openapi.yaml: ${JSON.stringify(validate.errors)}`);
    send(res, body);
  };
}

/**
 * Answers at once when local state is recent enough (always, without `atLeast`); otherwise after
 * waiting for the revision, or with the 503 that the wait ended in.
 */
function whenAt(
  lifecycle: Lifecycle,
  atLeast: (req: Request) => number | undefined,
  answer: (deps: ServiceDeps, req: Request, res: Response, started: number) => void,
  timed: boolean,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = timed ? performance.now() : 0;
    const deps = ready(lifecycle);
    const wanted = atLeast(req);
    if (wanted === undefined || deps.state.revision >= wanted) {
      answer(deps, req, res, started);
      return;
    }
    awaitRevision(deps, wanted)
      .then(() => answer(deps, req, res, started))
      .catch(next);
  };
}

/**
 * With the decision log on, every answer gets a decisionId, and the decisions the log wants are
 * handed to it (an in-memory write; the log writes out asynchronously).
 */
function logDecision(log: DecisionLog, defaultRealm: string | undefined, req: Request, input: CheckInput, result: CheckResult, started: number): void {
  const decisionId = log.newId();
  (result as CheckResult & { decisionId?: string }).decisionId = decisionId;
  if (!log.wants(result.allowed)) return;
  // one object of a fixed shape; an undefined `match` (a denial) is left out of the line
  log.write({
    decisionId,
    realm: input.realm ?? defaultRealm ?? null,
    subject: input.subject,
    org: input.org ?? null,
    permission: input.permission,
    allowed: result.allowed,
    reason: result.reason,
    match: result.allowed ? result.match : undefined,
    revision: result.revision,
    requestId: requestIdHeader(req),
    latency: Math.round((performance.now() - started) * 1000) / 1000,
  });
}

/** The caller's X-Request-Id as sent, or null (the header read directly: req.get looks at Referer aliases). */
function requestIdHeader(req: Request): string | null {
  const value = req.headers['x-request-id'];
  return typeof value === 'string' ? value : (value?.[0] ?? null);
}

function answerCheck(lifecycle: Lifecycle, metrics: Metrics, reply: Send, log?: DecisionLog): RequestHandler {
  return whenAt(
    lifecycle,
    (req) => (req.body as CheckInput).atLeast,
    (deps, req, res, started) => {
      const realm = confinedRealm(res);
      if (realm !== undefined) confineChecks([req.body as CheckInput], realm, false);
      const defaultRealm = realm ?? deps.config.defaultRealm;
      const decided = performance.now();
      const result = checkAccess(deps, req.body as CheckInput, defaultRealm);
      metrics.observeCheck((performance.now() - decided) / 1000);
      metrics.countDecision(result.reason);
      if (log) logDecision(log, defaultRealm, req, req.body as CheckInput, result, started);
      reply(res, result);
    },
    log !== undefined,
  );
}

interface BatchBody {
  checks: CheckInput[];
  atLeast?: number;
}

function answerBatch(lifecycle: Lifecycle, metrics: Metrics, reply: Send, log?: DecisionLog): RequestHandler {
  return whenAt(
    lifecycle,
    (req) => revisionWanted((req.body as BatchBody).checks, (req.body as BatchBody).atLeast),
    (deps, req, res, started) => {
      const { checks } = req.body as BatchBody;
      const realm = confinedRealm(res);
      if (realm !== undefined) confineChecks(checks, realm, true);
      const defaultRealm = realm ?? deps.config.defaultRealm;
      const decided = performance.now();
      const results = checkAccessBatch(deps, checks, defaultRealm);
      metrics.observeBatch((performance.now() - decided) / 1000);
      metrics.countDecisions(results);
      if (log) for (let i = 0; i < results.length; i += 1) logDecision(log, defaultRealm, req, checks[i], results[i], started);
      reply(res, { results });
    },
    log !== undefined,
  );
}

/** The decision routes, for mounting behind the validator middleware. */
export function checkRoutes(lifecycle: Lifecycle, metrics: Metrics, log?: DecisionLog): Router {
  const router = Router();
  router.post('/v1/check', answerCheck(lifecycle, metrics, send, log));
  router.post('/v1/check/batch', answerBatch(lifecycle, metrics, send, log));
  return router;
}

/**
 * The same routes mounted ahead of the validator middleware, for the hot path: a body that
 * conforms to its schema in openapi.yaml (compiled once) is answered at once; any other request
 * goes on through the validator middleware, which words the error, exactly as without this.
 */
export function checkFastRoutes(lifecycle: Lifecycle, metrics: Metrics, validateResponses: boolean, log?: DecisionLog): Router {
  const router = Router();
  const fast = checkAnswerers(lifecycle, metrics, validateResponses, log);
  router.post('/v1/check', (req, res, next) => (fast.conforms.check(req.body) ? fast.check(req, res, next) : next()));
  router.post('/v1/check/batch', (req, res, next) => (fast.conforms.batch(req.body) ? fast.batch(req, res, next) : next()));
  return router;
}

/** The fast path's parts: each body's schema test (compiled once from openapi.yaml) and its answer. */
export function checkAnswerers(lifecycle: Lifecycle, metrics: Metrics, validateResponses: boolean, log?: DecisionLog) {
  const conforms = {
    check: contractBodyValidator('post', '/v1/check'),
    batch: contractBodyValidator('post', '/v1/check/batch'),
  };
  const reply = (route: string) => (validateResponses ? sendChecked(contractResponseValidator('post', route)) : send);
  return {
    conforms,
    check: answerCheck(lifecycle, metrics, reply('/v1/check'), log),
    batch: answerBatch(lifecycle, metrics, reply('/v1/check/batch'), log),
  };
}
