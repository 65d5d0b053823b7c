import { useState } from 'preact/hooks';
import type { EffectivePermissions } from '@realmgate/client';
import { reasonText } from '../format';
import { isWildcard } from '../tags';
import { allPages, useAsync } from '../useAsync';
import { OrgPicker } from './OrgPicker';
import type { RealmProps } from './RealmView';

interface Cell {
  allowed: boolean;
  /** 'direct', or the role the tag came through */
  sources: string[];
}

/** Where a user's tag comes from: a direct grant, and/or the roles that carry it. */
function cellOf(p: EffectivePermissions, tag: string): Cell {
  const sources: string[] = [];
  if (p.direct.includes(tag)) sources.push('direct');
  for (const [role, tags] of Object.entries(p.byRole)) if (tags.includes(tag)) sources.push(role);
  return { allowed: p.effective && sources.length > 0, sources };
}

/** An org's users (rows) by the tags they hold (columns), each cell saying how the tag is held, or why not. */
export function Matrix({ session, realm }: RealmProps) {
  const { client } = session;
  const api = client.realm(realm);
  const [org, setOrg] = useState('');
  const rows = useAsync(async () => {
    if (org === '') return [];
    const memberships = await allPages((cursor) => api.allMemberships({ cursor }).then((p) => ({ items: p.memberships, next: p.next })));
    const users = [...new Set(memberships.filter((m) => m.org === org || m.org === null).map((m) => m.user))].sort();
    return Promise.all(users.map((user) => client.permissions(user, { org, realm })));
  }, [realm, org]);
  const data = rows.data ?? [];
  const columns = [...new Set(data.flatMap((p) => [...p.direct, ...Object.values(p.byRole).flat()]))].sort();
  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">Permission matrix</h2>
      <OrgPicker id="matrix-org" label="Org" client={client} realm={realm} value={org} onChange={setOrg} />
      <button type="button" class="secondary" onClick={rows.reload} disabled={org === ''}>
        Refresh
      </button>
      {rows.error && <p class="error" role="alert">{rows.error}</p>}
      {org !== '' && !rows.loading && data.length === 0 && <p>No memberships in {org}.</p>}
      {data.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label={`Permission matrix of ${org}`}>
          <table class="matrix" data-testid="matrix">
            <caption>
              Users of {org} by effective permission, at revision {data[0].revision}
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                {columns.map((t) => (
                  <th scope="col" key={t}>
                    <code>{t}</code>
                    {isWildcard(t) && <span class="badge wildcard">wildcard</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.map((p) => (
                <tr key={p.user} data-user={p.user}>
                  <th scope="row">
                    {p.user}
                    {!p.effective && <span class="badge denied">{reasonText(p.reason)}</span>}
                  </th>
                  {columns.map((t) => {
                    const cell = cellOf(p, t);
                    return (
                      <td key={t} class={cell.allowed ? 'allowed' : 'denied'} data-tag={t}>
                        {cell.allowed ? (
                          <>
                            <span aria-hidden="true">✓ </span>
                            {cell.sources.map((s) => (s === 'direct' ? 'direct' : `role ${s}`)).join(' + ')}
                            <span class="grant"> grant <code>{t}</code></span>
                          </>
                        ) : (
                          <>
                            <span aria-hidden="true">✗ </span>
                            {p.effective ? 'not granted' : `denied: ${reasonText(p.reason)}`}
                          </>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
