import { Realmgate, type Scope, type Whoami } from '@realmgate/client';

/** The signed-in token lives in this tab's sessionStorage only: never in a URL, gone with the tab. */
const KEY = 'realmgate.console.token';

export interface Session {
  client: Realmgate;
  reach: Whoami;
}

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Asks realmgate who the token is; keeps it only if realmgate knows it. */
export async function signIn(token: string): Promise<Session> {
  const client = new Realmgate({ url: location.origin, token, timeoutMs: 15_000 });
  const reach = await client.whoami();
  sessionStorage.setItem(KEY, token);
  return { client, reach };
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/** Whether the token may act with `scope` in `realm` (realmgate decides; this only hides what it would refuse). */
export function can(reach: Whoami, scope: Scope, realm?: string): boolean {
  if (reach.kind === 'admin') return true;
  if (realm !== undefined && reach.realm !== realm) return false;
  return reach.scopes.includes(scope);
}
