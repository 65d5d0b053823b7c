/** Client-side routes under /console: the server answers index.html for each of them. */
export interface Route {
  realm?: string;
  tab?: string;
}

const BASE = '/console';

function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** The route an address names; one that does not decode (a link to /console/realms/%E0) is the realm list. */
export function parseRoute(pathname: string): Route {
  const parts = pathname.replace(/^\/console\/?/, '').split('/').filter(Boolean).map(decoded);
  if (parts.includes(undefined)) return {};
  if (parts[0] === 'realms' && parts[1]) return { realm: parts[1], tab: parts[2] };
  return {};
}

export function hrefOf(route: Route): string {
  if (!route.realm) return `${BASE}/`;
  return `${BASE}/realms/${encodeURIComponent(route.realm)}${route.tab ? `/${encodeURIComponent(route.tab)}` : ''}`;
}
