import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../projectRoot';

export const OPENAPI_PATH = path.join(PROJECT_ROOT, 'openapi.yaml');
const CONTRACT_ID = 'openapi.json';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }> }>>;
}

let ajv: Ajv | undefined;
let document: OpenApiDocument | undefined;

function contract(): Ajv {
  if (!ajv) {
    document = yaml.load(fs.readFileSync(OPENAPI_PATH, 'utf8')) as OpenApiDocument;
    ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    ajv.addSchema(document, CONTRACT_ID);
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

/**
 * The JSON schema of one operation's response with this status (or its `default`), following a
 * `$ref` to components/responses: compiled once per place in the document, where the schemas of
 * every operation and status share one compiled copy of the document. `null` when the operation
 * declares no JSON body for the status; `undefined` when it declares no such status at all.
 */
export function contractResponseSchema(route: string, method: string, status: number): ValidateFunction | null | undefined {
  contract();
  const responses = document?.paths[route]?.[method]?.responses;
  const declared = responses?.[String(status)] !== undefined ? String(status) : responses?.default !== undefined ? 'default' : undefined;
  if (responses === undefined || declared === undefined) return undefined;
  const response = responses[declared];
  const at = response.$ref?.startsWith('#/') ? response.$ref.slice(2).split('/') : ['paths', route, method, 'responses', declared];
  const target = response.$ref ? resolve(at) : response;
  if (target?.content?.['application/json']?.schema === undefined) return null;
  return compileAt([...at.map(unescapePointer), 'content', 'application/json', 'schema']);
}

const unescapePointer = (part: string) => part.replaceAll('~1', '/').replaceAll('~0', '~');

function resolve(parts: string[]): { content?: Record<string, { schema?: unknown }> } | undefined {
  let node: unknown = document;
  for (const part of parts) node = (node as Record<string, unknown> | undefined)?.[unescapePointer(part)];
  return node as { content?: Record<string, { schema?: unknown }> } | undefined;
}

function compileAt(parts: string[]): ValidateFunction {
  const pointer = parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
  return contract().compile({ $ref: `${CONTRACT_ID}#/${pointer}` });
}
