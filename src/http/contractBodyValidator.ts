import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../projectRoot';

export const OPENAPI_PATH = path.join(PROJECT_ROOT, 'openapi.yaml');
const CONTRACT_ID = 'openapi.json';

let ajv: Ajv | undefined;

function contract(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    ajv.addSchema(yaml.load(fs.readFileSync(OPENAPI_PATH, 'utf8')) as object, CONTRACT_ID);
  }
  return ajv;
}

/**
 * The JSON request body schema of one operation in openapi.yaml, compiled once by Ajv (the engine
 * express-openapi-validator uses too). It answers only "does this body conform?"; a body that does
 * not is left to the validator middleware, which words the 4xx.
 */
export function contractBodyValidator(method: 'post' | 'put', route: string): ValidateFunction {
  return compileAt(['paths', route, method, 'requestBody', 'content', 'application/json', 'schema']);
}

/** The JSON schema of one operation's 200 response in openapi.yaml, for checking responses in tests. */
export function contractResponseValidator(method: 'post' | 'get', route: string): ValidateFunction {
  return compileAt(['paths', route, method, 'responses', '200', 'content', 'application/json', 'schema']);
}

function compileAt(parts: string[]): ValidateFunction {
  const pointer = parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
  return contract().compile({ $ref: `${CONTRACT_ID}#/${pointer}` });
}
