import type { Request, RequestHandler, Response } from 'express';
import type { ValidateFunction } from 'ajv';
import { contractResponseSchema } from './contractBodyValidator';

/** What a JSON response broke: its route, method, status, and Ajv's errors. */
export class ResponseContractError extends Error {}

/**
 * Tests turn this on: every JSON response of an operation in openapi.yaml is checked against the
 * schema the document gives for its status. One compiled copy of the document serves every
 * operation (express-openapi-validator's own response validation compiles the whole components
 * section again for each operation). A response that breaks the contract is answered as a 500
 * `internal` instead, and handed to `onBroken`. Mounted after the OpenAPI middleware, which tells
 * the operation (`req.openapi`); answers given before it, such as a refused Host, are not checked.
 */
export function responseContract(onBroken: (err: ResponseContractError, req: Request) => void): RequestHandler {
  const compiled = new Map<string, ValidateFunction | null | undefined>();
  const validatorFor = (route: string, method: string, status: number) => {
    const key = `${method} ${route} ${status}`;
    if (!compiled.has(key)) compiled.set(key, contractResponseSchema(route, method, status));
    return compiled.get(key);
  };
  return (req, res, next) => {
    const json = res.json.bind(res) as Response['json'];
    res.json = (body: unknown) => {
      const route = (req as { openapi?: { openApiRoute?: string } }).openapi?.openApiRoute;
      if (route === undefined) return json(body);
      const method = req.method === 'HEAD' ? 'get' : req.method.toLowerCase();
      const validate = validatorFor(route, method, res.statusCode);
      if (validate === null || (validate !== undefined && validate(body))) return json(body);
      const what = validate === undefined ? 'declares no such status' : `does not match: ${JSON.stringify(validate.errors)}`;
      onBroken(new ResponseContractError(`${req.method} ${route} answered ${res.statusCode}, which openapi.yaml ${what}`), req);
      res.status(500);
      return json({ error: { code: 'internal', message: 'internal error' } });
    };
    next();
  };
}
