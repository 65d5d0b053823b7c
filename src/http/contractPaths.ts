import fs from 'node:fs';
import yaml from 'js-yaml';
import { OPENAPI_PATH } from './contractBodyValidator';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

interface Operation {
  parameters?: { name?: string; in?: string; schema?: { type?: string } }[];
}

export interface ContractPath {
  /** matches the request path, e.g. /v1/realms/{realm} as ^/v1/realms/[^/]+$ */
  readonly pattern: RegExp;
  /** the path itself when it has no parameters */
  readonly literal?: string;
  /** the methods openapi.yaml lists for it, upper case, HEAD wherever GET is, OPTIONS always */
  readonly allow: readonly string[];
}

export interface ContractShape {
  readonly paths: readonly ContractPath[];
  /** names of query parameters whose schema is a number or an integer */
  readonly numericQuery: ReadonlySet<string>;
}

let shape: ContractShape | undefined;

/** The paths, methods and numeric query parameters of openapi.yaml, read once. */
export function contractShape(): ContractShape {
  if (shape) return shape;
  const spec = yaml.load(fs.readFileSync(OPENAPI_PATH, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  const numericQuery = new Set<string>();
  const paths = Object.entries(spec.paths).map(([route, item]) => {
    const methods = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    for (const m of METHODS) {
      for (const p of item[m]?.parameters ?? []) {
        if (p.in === 'query' && (p.schema?.type === 'integer' || p.schema?.type === 'number') && p.name) numericQuery.add(p.name);
      }
    }
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
    if (!methods.includes('OPTIONS')) methods.push('OPTIONS');
    const source = route.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
    return { pattern: new RegExp(`^${source}$`), literal: route.includes('{') ? undefined : route, allow: methods };
  });
  shape = { paths, numericQuery };
  return shape;
}
