import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** The JSON-schema subset openapi.yaml uses, after $ref resolution. */
export interface Schema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  nullable?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** operationId */
  id: string;
  method: string;
  /** the path template, e.g. /v1/realms/{realm}/orgs/{org} */
  template: string;
  parameters: Parameter[];
  body?: { required: boolean; schema: Schema };
  /** the scope the operation declares: 'none' for open routes, 'adminToken' for the admin token only */
  security: 'none' | 'check' | 'read' | 'write' | 'admin' | 'adminToken';
  /** the statuses the operation documents */
  statuses: string[];
}

export interface Contract {
  operations: Operation[];
  /** components/schemas/Error: the codes an error may carry */
  errorCodes: ReadonlySet<string>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Doc = Record<string, any>;

function resolve(doc: Doc, node: unknown): any {
  if (Array.isArray(node)) return node.map((n) => resolve(doc, n));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string') {
    const target = obj.$ref.replace(/^#\//, '').split('/').reduce<Doc>((at, key) => at[key], doc);
    return resolve(doc, target);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(doc, v)]));
}

/** `allOf: [one schema]` with a description is how openapi.yaml annotates a $ref: flatten it. */
export function flatten(schema: Schema): Schema {
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...flatten(allOf[0]), ...rest };
  }
  return schema;
}

function securityOf(op: Doc): Operation['security'] {
  const requirements = (op.security ?? []) as Record<string, string[]>[];
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0)) return 'none';
  const first = requirements[0];
  if (first.adminToken) return 'adminToken';
  // any token that authenticates, of any realm and scope, as a check-scope token would
  if (first.anyToken) return 'check';
  return (first.bearerAuth?.[0] ?? 'admin') as Operation['security'];
}

/** Every operation of openapi.yaml with its parameters, body schema and security, $refs resolved. */
export function readContract(file = path.join(__dirname, '..', '..', 'openapi.yaml')): Contract {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as Doc;
  const operations: Operation[] = [];
  for (const [template, rawItem] of Object.entries(doc.paths as Doc)) {
    const item = rawItem as Doc;
    const shared = (resolve(doc, item.parameters ?? []) as Parameter[]) ?? [];
    for (const method of METHODS) {
      if (!item[method]) continue;
      const op = item[method] as Doc;
      const own = resolve(doc, op.parameters ?? []) as Parameter[];
      const byName = new Map<string, Parameter>();
      for (const p of [...shared, ...own]) byName.set(`${p.in}:${p.name}`, { ...p, required: p.required ?? false, schema: flatten(p.schema ?? {}) });
      const body = op.requestBody ? resolve(doc, op.requestBody) : undefined;
      operations.push({
        id: op.operationId,
        method: method.toUpperCase(),
        template,
        parameters: [...byName.values()],
        body: body ? { required: body.required ?? false, schema: body.content['application/json'].schema } : undefined,
        security: securityOf(op),
        statuses: Object.keys(op.responses ?? {}),
      });
    }
  }
  const errorCodes = new Set<string>(doc.components.schemas.Error.properties.error.properties.code.enum);
  return { operations, errorCodes };
}
