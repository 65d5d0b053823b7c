import { useState } from 'preact/hooks';
import type { EffectivePermissions } from '@realmgate/client';
import { reasonText } from '../format';
import { isWildcard } from '../tags';
import { allPages, useAsync } from '../useAsync';
import { OrgPicker } from './OrgPicker';
import type { RealmProps } from './RealmView';

/** What a membership grants, directly and through each of its roles, whether or not checks honour it now. */
interface Grants {
  direct: string[];
  byRole: Record<string, string[]>;
}

interface Cell {
  allowed: boolean;
  /** 'direct', or the role the tag came through */
  sources: string[];
}

/** Where a user's tag comes from: a direct grant, and/or the roles that carry it. */
function cellOf(p: EffectivePermissions, grants: Grants, tag: string): Cell {
  const sources: string[] = [];
  if (grants.direct.includes(tag)) sources.push('direct');
  for (const [role, tags] of Object.entries(grants.byRole)) if (tags.includes(tag)) sources.push(role);
  return { allowed: p.effective && sources.length > 0, sources };
}

interface Row {
  permissions: EffectivePermissions;
  grants: Grants;
}

/** An org's users (rows) by the tags they hold (columns), each cell saying how the tag is held, or why not. */
export function Matrix({ session, realm }: RealmProps) {
  const { client } = session;
  const api = client.realm(realm);
  const [org, setOrg] = useState('');
  const rows = useAsync<Row[]>(async () => {
    if (org === '') return [];
    const [summary, memberships] = await Promise.all([
      api.get(),
      allPages((cursor) => api.allMemberships({ cursor }).then((p) => ({ items: p.memberships, next: p.next }))),
    ]);
    const roleTags = new Map(summary.roles.map((r) => [r.name, r.permissions]));
    const inOrg = memberships.filter((m) => m.org === org).sort((a, b) => (a.user < b.user ? -1 : 1));
    return Promise.all(
      inOrg.map(async (m) => ({
        permissions: await client.permissions(m.user, { org, realm }),
        // a disabled user or an expired membership holds these still, but no check honours them
        grants: { direct: m.permissions, byRole: Object.fromEntries(m.roles.map((r) => [r, roleTags.get(r) ?? []])) },
      })),
    );
  }, [realm, org]);
  const data = rows.data ?? [];
  const columns = [...new Set(data.flatMap((r) => [...r.grants.direct, ...Object.values(r.grants.byRole).flat()]))].sort();
  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">Permission matrix</h2>
      <OrgPicker id="matrix-org" label="Org" client={client} realm={realm} value={org} onChange={setOrg} />
      <button type="button" class="secondary" onClick={rows.reload} disabled={org === ''}>
        Refresh
      </button>
      {rows.error && <p class="error" role="alert">{rows.error}</p>}
      {org !== '' && !rows.loading && data.length === 0 && <p>No memberships in {org}.</p>}
      {data.length > 0 && <p class="hint">Users of {org} (rows) by the permissions their memberships grant (columns); a wildcard is shown as granted.</p>}
      {data.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label={`Permission matrix of ${org}`}>
          <table class="matrix" data-testid="matrix">
            <caption>
              {org}, revision {data[0].permissions.revision}
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
              {data.map(({ permissions: p, grants }) => (
                <tr key={p.user} data-user={p.user}>
                  <th scope="row">
                    {p.user}
                    {!p.effective && <span class="badge denied">{reasonText(p.reason)}</span>}
                  </th>
                  {columns.map((t) => {
                    const cell = cellOf(p, grants, t);
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
                            {!p.effective ? `denied: ${reasonText(p.reason)}` : 'not granted'}
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
