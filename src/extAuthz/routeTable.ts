import { match, type MatchFunction } from 'path-to-regexp';
import type { ExtAuthzRoute } from './settings';

export interface RouteMatch {
  readonly route: ExtAuthzRoute;
  /** decoded path parameters; a `*wildcard` is its segments joined by `/` */
  readonly params: Readonly<Record<string, string>>;
}

interface CompiledRoute {
  readonly route: ExtAuthzRoute;
  readonly matches: MatchFunction<Partial<Record<string, string | string[]>>>;
}

/** A percent-encoding that does not decode is a parameter no route can have been written for. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new MalformedPath();
  }
}

export class MalformedPath extends Error {}

/**
 * Paths whose meaning an upstream may resolve differently than a pattern match does: dot segments,
 * empty segments, encoded slashes, backslashes and dots. Envoy removes them with `normalize_path`
 * and `merge_slashes`; realmgate refuses what still has them rather than guess.
 */
const AMBIGUOUS = /(^|\/)\.\.?(\/|$)|\/\/|%2f|%5c|%2e|\\/i;

/**
 * The routes of the settings file, compiled once: the first route whose method and path pattern
 * match a request decides it. A `GET` route covers `HEAD` as well.
 */
export class RouteTable {
  private readonly compiled: readonly CompiledRoute[];

  constructor(routes: readonly ExtAuthzRoute[]) {
    this.compiled = routes.map((route) => ({ route, matches: match(route.path, { decode }) }));
  }

  /** `path` without its query string. Throws MalformedPath for a path no pattern should judge. */
  find(method: string, path: string): RouteMatch | undefined {
    if (AMBIGUOUS.test(path)) throw new MalformedPath();
    for (const { route, matches } of this.compiled) {
      if (route.method !== '*' && route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const found = matches(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(found.params)) {
        if (value !== undefined) params[name] = Array.isArray(value) ? value.join('/') : value;
      }
      return { route, params };
    }
    return undefined;
  }
}
