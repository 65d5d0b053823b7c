import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DecisionLog } from '../http/decisionLog';
import { hostAccepted } from '../http/hostGuard';
import type { Lifecycle } from '../http/lifecycle';
import type { Metrics } from '../http/metrics';
import { identify, logUnavailableCheck } from '../http/requestObservation';
import type { Logger } from '../logger';
import { checkAnswerers } from './check';

export interface CheckHotPathOptions {
  lifecycle: Lifecycle;
  metrics: Metrics;
  /** where a 5xx answer to a check is logged, at warn */
  logger: Logger;
  /** the Host names accepted (see hostGuard); undefined accepts any */
  hosts: ReadonlySet<string> | undefined;
  maxBodyBytes: number;
  /** the app's own JSON body parser, so that a body is read once and by the same rules */
  parseJson: RequestHandler;
  /** REALMGATE_CHECK_AUTH=token: the check gate's test (see checkAdmission) */
  admit?: (req: Request, res: Response) => void;
  validateResponses: boolean;
  decisionLog?: DecisionLog;
}

/**
 * `POST /v1/check` and `POST /v1/check/batch`, with no query, in one step ahead of the app: the
 * request id, the Host guard, the declared length, the body, the check gate and the answer, where
 * the app would run a layer for each. Whatever this step does not answer itself (a refused Host, an
 * oversized or malformed body, a body that does not conform, a gate refusal, an answer that waits
 * for a revision) goes on through the app, or to its error handler, which answer exactly as without
 * it. The request is counted where it is answered, not through a 'finish' listener, when the answer
 * is sent at once; a 5xx is logged at warn. Used only while checks are not access-logged (log level
 * above debug): a logged check takes the app's chain, through pino-http.
 *
 * It runs on the server's own request and response (see aheadOfApp): of express's additions it
 * uses only `body`, which the JSON parser sets, and `locals`, which it sets itself for the check gate.
 */
export function checkHotPath(options: CheckHotPathOptions): RequestHandler {
  const { metrics, logger, hosts, maxBodyBytes, parseJson, admit } = options;
  const fast = checkAnswerers(options.lifecycle, metrics, options.validateResponses, options.decisionLog);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const route = req.url;
    const single = route === '/v1/check';
    if (!single && route !== '/v1/check/batch') return next();
    identify(req, res);
    // where the check gate leaves a realm token's realm (confinedRealm); nothing to keep without it
    if (admit) res.locals = Object.create(null) as Response['locals'];
    const count = () => {
      metrics.countRequest(route, 'POST', res.statusCode);
      logUnavailableCheck(logger, req, res);
    };
    const usualChain = (err?: unknown) => {
      res.once('finish', count);
      next(err);
    };
    const declared = req.headers['content-length'];
    if (!hostAccepted(req, hosts) || (declared !== undefined && Number(declared) > maxBodyBytes)) return usualChain();
    parseJson(req, res, (err?: unknown) => {
      if (err) return usualChain(err);
      try {
        admit?.(req, res);
        if (!(single ? fast.conforms.check(req.body) : fast.conforms.batch(req.body))) return usualChain();
        // an answer that waits for a revision ends later, or in next(err)
        (single ? fast.check : fast.batch)(req, res, next);
      } catch (thrown) {
        return usualChain(thrown);
      }
      if (res.writableEnded) count();
      else res.once('finish', count);
    });
  };
}

/** An error the hot path handed on, for the app's error handler (see resumeFromHotPath). */
const HANDED_ON = Symbol('handed on by the check hot path');

/**
 * The server's request listener: the hot path first, on the server's own request and response,
 * then the app for whatever it did not answer. What express does for every request it handles
 * (giving the request and response its own prototypes, its router) cost more than the check
 * itself: answered without express, a check takes well under half the CPU (bench:observability).
 */
export function aheadOfApp(hot: RequestHandler, app: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    let handed = false;
    const handOn = (err?: unknown) => {
      handed = true;
      if (err !== undefined) (req as { [HANDED_ON]?: unknown })[HANDED_ON] = err;
      app(req, res);
    };
    try {
      hot(req as Request, res as Response, handOn);
    } catch (err) {
      // what express would have caught, had the hot path run inside it; once handed on, the
      // request is express's, which catches what its own steps throw
      if (!handed) handOn(err);
    }
  };
}

/** The app's first step: an error the hot path handed on goes straight to the error handler. */
export const resumeFromHotPath: RequestHandler = (req, _res, next) => {
  const err = (req as { [HANDED_ON]?: unknown })[HANDED_ON];
  if (err === undefined) return next();
  next(err);
};

