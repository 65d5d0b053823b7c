import { useEffect, useState } from 'preact/hooks';
import type { DryRunResult, MembershipItem } from '@realmgate/client';
import { countdown } from '../format';
import { can } from '../session';
import { isWildcard, splitList } from '../tags';
import { allPages, useAsync } from '../useAsync';
import { usePreviewedWrite } from '../usePreviewedWrite';
import { ConfirmWrite } from './EffectPreview';
import type { RealmProps } from './RealmView';
import { TagInput, tagsValid } from './TagInput';

/** A second-by-second clock, for expiry countdowns. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** `user role,role tag,tag` per line: the memberships an org should hold exactly. */
function parseSync(text: string): MembershipItem[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((line) => {
      const [user, roles = '', permissions = ''] = line.split(/\s+/);
      const list = (s: string) => (s === '-' ? [] : s.split(',').filter(Boolean));
      return { user, roles: list(roles), permissions: list(permissions) };
    });
}

export function Memberships({ session, realm }: RealmProps) {
  const api = session.client.realm(realm);
  const all = useAsync(() => allPages((cursor) => api.allMemberships({ cursor }).then((p) => ({ items: p.memberships, next: p.next }))), [realm]);
  const now = useNow();
  const [filter, setFilter] = useState('');
  const [form, setForm] = useState({ user: '', org: '', roles: '', permissions: '', expires: '' });
  const [sync, setSync] = useState({ org: '', lines: '' });
  const writable = can(session.reach, 'write', realm);
  const writes = usePreviewedWrite(() => all.reload());
  const { pending, error, notice } = writes;
  const preview = (title: string, dryRun: () => Promise<DryRunResult>, apply: () => Promise<{ revision: number }>) =>
    writes.preview({ title, confirmLabel: 'Apply', apply, done: (revision) => `Applied at revision ${revision}.` }, dryRun);

  const needle = filter.trim().toLowerCase();
  const shown = (all.data ?? []).filter(
    (m) => needle === '' || m.user.toLowerCase().includes(needle) || (m.org ?? '').toLowerCase().includes(needle) || m.roles.some((r) => r.toLowerCase().includes(needle)),
  );
  const item = (): MembershipItem => ({
    user: form.user.trim(),
    org: form.org.trim() === '' ? null : form.org.trim(),
    roles: splitList(form.roles),
    permissions: splitList(form.permissions),
    expiresAt: form.expires === '' ? null : new Date(form.expires).toISOString(),
  });

  return (
    <section aria-labelledby="memberships-title">
      <h2 id="memberships-title">Memberships</h2>
      {!writable && <p class="hint">Read only: this token lacks the write scope.</p>}
      {all.error && <p class="error" role="alert">{all.error}</p>}
      <div class="field inline">
        <label for="membership-filter">Filter by user, org or role</label>
        <input id="membership-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </div>
      <div class="scroll" tabIndex={0} role="region" aria-label="Memberships table">
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Org</th>
              <th scope="col">Roles</th>
              <th scope="col">Direct permissions</th>
              <th scope="col">Expires</th>
              {writable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <tr key={`${m.user}|${m.org}`}>
                <th scope="row">{m.user}</th>
                <td>{m.org ?? '(realm level)'}</td>
                <td>{m.roles.join(', ')}</td>
                <td>
                  {m.permissions.map((p) => (
                    <code key={p} class={isWildcard(p) ? 'tag wildcard' : 'tag'}>
                      {p}
                    </code>
                  ))}
                </td>
                <td>{m.expiresAt ? <time dateTime={m.expiresAt} title={m.expiresAt}>{countdown(m.expiresAt, now)}</time> : 'never'}</td>
                {writable && (
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={`Remove ${m.user} from ${m.org ?? 'the realm level'}`}
                      onClick={() =>
                        preview(
                          `Removing ${m.user} from ${m.org ?? 'the realm level'} would change`,
                          () => api.batch({ delete: [{ user: m.user, org: m.org }] }, { dryRun: true }),
                          () => api.batch({ delete: [{ user: m.user, org: m.org }] }),
                        )
                      }
                    >
                      Remove…
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        {shown.length} of {all.data?.length ?? 0} memberships shown.
      </p>
      {writable && (
        <div class="forms">
          <form
            class="editor"
            aria-label="Add or replace a membership"
            onSubmit={(e) => {
              e.preventDefault();
              const m = item();
              void preview(`Writing the membership of ${m.user} in ${m.org ?? 'the realm level'} would change`, () => api.batch({ upsert: [m] }, { dryRun: true }), () => api.batch({ upsert: [m] }));
            }}
          >
            <h3>Add or replace a membership</h3>
            <div class="field">
              <label for="m-user">User</label>
              <input id="m-user" required value={form.user} onInput={(e) => setForm({ ...form, user: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="m-org">Org (empty for realm level)</label>
              <input id="m-org" value={form.org} onInput={(e) => setForm({ ...form, org: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="m-roles">Roles (comma-separated)</label>
              <input id="m-roles" value={form.roles} onInput={(e) => setForm({ ...form, roles: e.currentTarget.value })} />
            </div>
            <TagInput id="m-permissions" label="Direct permissions" value={form.permissions} onInput={(v) => setForm({ ...form, permissions: v })} />
            <div class="field">
              <label for="m-expires">Expires (optional, local time)</label>
              <input id="m-expires" type="datetime-local" value={form.expires} onInput={(e) => setForm({ ...form, expires: e.currentTarget.value })} />
            </div>
            <button type="submit" disabled={form.user.trim() === '' || !tagsValid(form.permissions)}>
              Preview membership
            </button>
          </form>
          <form
            class="editor"
            aria-label="Sync an org"
            onSubmit={(e) => {
              e.preventDefault();
              const items = parseSync(sync.lines);
              const org = sync.org.trim();
              void preview(`Syncing org ${org} to these ${items.length} membership(s) would change`, () => api.sync(items, { org }, { dryRun: true }), () => api.sync(items, { org }));
            }}
          >
            <h3>Sync an org</h3>
            <p class="hint" id="sync-help">
              One membership per line: <code>user role,role tag,tag</code> (<code>-</code> for none). Memberships of the org not listed are removed.
            </p>
            <div class="field">
              <label for="sync-org">Org</label>
              <input id="sync-org" required value={sync.org} onInput={(e) => setSync({ ...sync, org: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="sync-lines">Memberships</label>
              <textarea id="sync-lines" rows={4} aria-describedby="sync-help" value={sync.lines} onInput={(e) => setSync({ ...sync, lines: e.currentTarget.value })} />
            </div>
            <button type="submit" disabled={sync.org.trim() === ''}>
              Preview sync
            </button>
          </form>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      {pending && <ConfirmWrite pending={pending} onConfirm={writes.confirm} onCancel={writes.cancel} />}
    </section>
  );
}
