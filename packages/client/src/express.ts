import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Consistency } from './consistency.js';
import { RealmgateError } from './errors.js';
import type { CheckInput, Decision } from './types.js';

/** The part of a client the middleware uses. */
export interface Checker {
  checkMany(inputs: readonly CheckInput[], options?: { consistency?: Consistency; timeoutMs?: number }): Promise<Decision[]>;
}

export interface RequirementOptions {
  /** the verified identity of the caller; undefined or '' answers 401 */
  subject: (req: Request) => string | undefined;
  /** the org the request acts in; leave out (or answer undefined/null) for a realm-level check */
  org?: (req: Request) => string | null | undefined;
  realm?: (req: Request) => string | undefined;
  consistency?: Consistency;
  timeoutMs?: number;
}

interface Leaf {
  permission: string;
  options: RequirementOptions;
}

/** What a request needs: middleware, and a tree that anyOf() and allOf() combine. */
export interface Requirement extends RequestHandler {
  /** the checks, in order */
  readonly leaves: readonly Leaf[];
  /** whether these decisions (one per leaf, in order) let the request through */
  readonly passes: (decisions: readonly Decision[]) => boolean;
}

declare module 'express-serve-static-core' {
  interface Locals {
    /** the decision that let the request through */
    decision?: Decision;
    /** every decision taken for the request, in the order of the requirements */
    decisions?: Decision[];
  }
}

function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

function describe(permission: string, input: CheckInput): string {
  return `'${input.subject}' may not ${permission}${input.org ? ` in org '${input.org}'` : ' at realm level'}`;
}

function build(checker: Checker, requirements: readonly Leaf[], passes: Requirement['passes']): Requirement {
  const handler = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let inputs: CheckInput[];
    try {
      inputs = requirements.map(({ permission, options }) => {
        const subject = options.subject(req);
        const org = options.org?.(req);
        const realm = options.realm?.(req);
        return { subject: subject ?? '', permission, ...(org === undefined ? {} : { org }), ...(realm === undefined ? {} : { realm }) };
      });
    } catch (err) {
      return next(err);
    }
    if (inputs.some((i) => typeof i.subject !== 'string' || i.subject === '')) {
      res.status(401).json(errorBody('unauthenticated', 'the request carries no verified subject'));
      return;
    }
    const first = requirements[0].options;
    let decisions: Decision[];
    try {
      decisions = await checker.checkMany(inputs, { consistency: first.consistency, timeoutMs: first.timeoutMs });
    } catch (err) {
      if (err instanceof RealmgateError && err.status === 400) {
        res.status(400).json(errorBody('invalid_request', err.message, err.field ? { field: err.field } : {}));
        return;
      }
      // fail closed: no answer is never an allow
      res.set('Retry-After', '1');
      res.status(503).json(errorBody('authorization_unavailable', 'the permission could not be checked; try again', { cause: err instanceof RealmgateError ? err.code : 'internal' }));
      return;
    }
    if (passes(decisions)) {
      res.locals.decision = decisions.find((d) => d.allowed);
      res.locals.decisions = decisions;
      return next();
    }
    const denied = decisions.map((d, i) => ({ d, i })).filter(({ d }) => !d.allowed);
    const { d, i } = denied[0];
    res.status(403).json(
      errorBody('forbidden', describe(requirements[i].permission, inputs[i]), {
        reason: d.reason,
        permission: requirements[i].permission,
        denied: denied.map(({ d: x, i: j }) => ({ permission: requirements[j].permission, reason: x.reason })),
      }),
    );
  };
  const wrapped = ((req: Request, res: Response, next: NextFunction) => void handler(req, res, next).catch(next)) as Requirement;
  return Object.assign(wrapped, { leaves: requirements, passes });
}

/** The children's leaves end to end, and each child's decisions sliced back out for it. */
function combine(checker: Checker, children: Requirement[], pass: (results: boolean[]) => boolean): Requirement {
  if (children.length === 0) throw new TypeError('anyOf() and allOf() need at least one requirement');
  const leaves = children.flatMap((c) => c.leaves);
  return build(checker, leaves, (decisions) => {
    let offset = 0;
    const results = children.map((c) => {
      const own = decisions.slice(offset, offset + c.leaves.length);
      offset += c.leaves.length;
      return c.passes(own);
    });
    return pass(results);
  });
}

/**
 * Express 5 middleware over one client. A deny answers 403 with the reason; a sidecar that cannot
 * answer, 503 (failing closed); a request without a subject, 401. An allow sets
 * `res.locals.decision` and calls the next handler.
 */
export function createMiddleware(checker: Checker) {
  return {
    requirePermission(permission: string, options: RequirementOptions): Requirement {
      return build(checker, [{ permission, options }], (decisions) => decisions[0].allowed);
    },
    /** passes when any requirement allows; all of them are checked in one request */
    anyOf(...requirements: Requirement[]): Requirement {
      return combine(checker, requirements, (results) => results.some(Boolean));
    },
    /** passes only when every requirement allows */
    allOf(...requirements: Requirement[]): Requirement {
      return combine(checker, requirements, (results) => results.every(Boolean));
    },
  };
}
