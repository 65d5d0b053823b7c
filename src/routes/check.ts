import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ValidateFunction } from 'ajv';
import { contractBodyValidator, contractResponseValidator } from '../http/contractBodyValidator';
import { confinedRealm } from '../http/checkGate';
import { ready, type Lifecycle } from '../http/lifecycle';
import type { Metrics } from '../http/metrics';
import { awaitRevision } from '../services/awaitRevision';
import { checkAccess, checkAccessBatch, confineChecks, revisionWanted, type CheckInput } from '../services/checkAccess';
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
  answer: (deps: ServiceDeps, req: Request, res: Response) => void,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const deps = ready(lifecycle);
    const wanted = atLeast(req);
    if (wanted === undefined || deps.state.revision >= wanted) {
      answer(deps, req, res);
      return;
    }
    awaitRevision(deps, wanted)
      .then(() => answer(deps, req, res))
      .catch(next);
  };
}

function answerCheck(lifecycle: Lifecycle, metrics: Metrics, reply: Send): RequestHandler {
  return whenAt(
    lifecycle,
    (req) => (req.body as CheckInput).atLeast,
    (deps, req, res) => {
      const realm = confinedRealm(res);
      if (realm !== undefined) confineChecks([req.body as CheckInput], realm, false);
      const started = performance.now();
      const result = checkAccess(deps, req.body as CheckInput, realm ?? deps.config.defaultRealm);
      metrics.observeCheck((performance.now() - started) / 1000);
      metrics.countDecision(result.reason);
      reply(res, result);
    },
  );
}

interface BatchBody {
  checks: CheckInput[];
  atLeast?: number;
}

function answerBatch(lifecycle: Lifecycle, metrics: Metrics, reply: Send): RequestHandler {
  return whenAt(
    lifecycle,
    (req) => revisionWanted((req.body as BatchBody).checks, (req.body as BatchBody).atLeast),
    (deps, req, res) => {
      const { checks } = req.body as BatchBody;
      const realm = confinedRealm(res);
      if (realm !== undefined) confineChecks(checks, realm, true);
      const started = performance.now();
      const results = checkAccessBatch(deps, checks, realm ?? deps.config.defaultRealm);
      metrics.observeBatch((performance.now() - started) / 1000);
      metrics.countDecisions(results);
      reply(res, { results });
    },
  );
}

/** The decision routes, for mounting behind the validator middleware. */
export function checkRoutes(lifecycle: Lifecycle, metrics: Metrics): Router {
  const router = Router();
  router.post('/v1/check', answerCheck(lifecycle, metrics, send));
  router.post('/v1/check/batch', answerBatch(lifecycle, metrics, send));
  return router;
}

/**
 * The same routes mounted ahead of the validator middleware, for the hot path: a body that
 * conforms to its schema in openapi.yaml (compiled once) is answered at once; any other request
 * goes on through the validator middleware, which words the error, exactly as without this.
 */
export function checkFastRoutes(lifecycle: Lifecycle, metrics: Metrics, validateResponses: boolean): Router {
  const router = Router();
  const conforms = {
    check: contractBodyValidator('post', '/v1/check'),
    batch: contractBodyValidator('post', '/v1/check/batch'),
  };
  const reply = (route: string) => (validateResponses ? sendChecked(contractResponseValidator('post', route)) : send);
  const check = answerCheck(lifecycle, metrics, reply('/v1/check'));
  const batch = answerBatch(lifecycle, metrics, reply('/v1/check/batch'));
  router.post('/v1/check', (req, res, next) => (conforms.check(req.body) ? check(req, res, next) : next()));
  router.post('/v1/check/batch', (req, res, next) => (conforms.batch(req.body) ? batch(req, res, next) : next()));
  return router;
}
