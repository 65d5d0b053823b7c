import { useEffect, useState } from 'preact/hooks';

/** Client-side routes under /console: the server answers index.html for each of them. */
export interface Route {
  realm?: string;
  tab?: string;
}

const BASE = '/console';

export function parseRoute(pathname: string): Route {
  const parts = pathname.replace(/^\/console\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'realms' && parts[1]) return { realm: parts[1], tab: parts[2] };
  return {};
}

export function hrefOf(route: Route): string {
  if (!route.realm) return `${BASE}/`;
  return `${BASE}/realms/${encodeURIComponent(route.realm)}${route.tab ? `/${encodeURIComponent(route.tab)}` : ''}`;
}

export function navigate(route: Route): void {
  history.pushState(null, '', hrefOf(route));
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A link that changes the view without loading the page again. */
export function Link(props: { to: Route; children: preact.ComponentChildren; current?: boolean; class?: string }) {
  return (
    <a
      href={hrefOf(props.to)}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
