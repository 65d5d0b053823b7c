import { useState } from 'preact/hooks';
import type { DryRunResult } from '@realmgate/client';
import { describeError } from '../format';
import { can } from '../session';
import { isWildcard, splitList } from '../tags';
import { useAsync } from '../useAsync';
import { EffectPreview } from './EffectPreview';
import type { RealmProps } from './RealmView';
import { TagInput, tagsValid } from './TagInput';

type Pending = { kind: 'put' | 'delete'; role: string; permissions: string[]; result: DryRunResult };

/** The realm's roles, the template every org shares; each edit is previewed (a dry run) before it is applied. */
export function Roles({ session, realm }: RealmProps) {
  const api = session.client.realm(realm);
  const summary = useAsync(() => api.get(), [realm]);
  const [role, setRole] = useState('');
  const [tags, setTags] = useState('');
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const writable = can(session.reach, 'write', realm);

  const preview = async (kind: 'put' | 'delete', name: string, permissions: string[]) => {
    setNotice(undefined);
    try {
      const result = kind === 'put' ? await api.putRole(name, permissions, { dryRun: true }) : await api.deleteRole(name, { dryRun: true });
      setPending({ kind, role: name, permissions, result });
      setError(undefined);
    } catch (err) {
      setPending(undefined);
      setError(describeError(err));
    }
  };
  const apply = async () => {
    if (!pending) return;
    try {
      const written = pending.kind === 'put' ? await api.putRole(pending.role, pending.permissions) : await api.deleteRole(pending.role);
      setNotice(`Role ${pending.role} ${pending.kind === 'put' ? 'saved' : 'deleted'} at revision ${written.revision}.`);
      setPending(undefined);
      setError(undefined);
      summary.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const edit = (name: string, permissions: string[]) => {
    setRole(name);
    setTags(permissions.join('\n'));
    setPending(undefined);
    document.getElementById('role-name')?.focus();
  };

  return (
    <section aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      {!writable && <p class="hint">Read only: this token lacks the write scope.</p>}
      {summary.error && <p class="error" role="alert">{summary.error}</p>}
      <div class="scroll" tabIndex={0} role="region" aria-label="Roles table">
        <table>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Permissions</th>
              {writable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {summary.data?.roles.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td>
                  {r.permissions.map((p) => (
                    <code key={p} class={isWildcard(p) ? 'tag wildcard' : 'tag'}>
                      {p}
                    </code>
                  ))}
                </td>
                {writable && (
                  <td class="actions">
                    <button type="button" class="secondary" aria-label={`Edit role ${r.name}`} onClick={() => edit(r.name, r.permissions)}>
                      Edit
                    </button>
                    <button type="button" class="secondary" aria-label={`Delete role ${r.name}`} onClick={() => preview('delete', r.name, [])}>
                      Delete…
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {summary.data?.roles.length === 0 && <p>No roles yet.</p>}
      {writable && (
        <form
          class="editor"
          aria-label="Role editor"
          onSubmit={(e) => {
            e.preventDefault();
            void preview('put', role.trim(), splitList(tags));
          }}
        >
          <h3>Define or change a role</h3>
          <div class="field">
            <label for="role-name">Role name</label>
            <input id="role-name" value={role} required onInput={(e) => (setRole(e.currentTarget.value), setPending(undefined))} />
          </div>
          <TagInput id="role-permissions" label="Permissions" value={tags} onInput={(v) => (setTags(v), setPending(undefined))} />
          <button type="submit" disabled={role.trim() === '' || !tagsValid(tags)}>
            Preview changes
          </button>
        </form>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      {pending && (
        <div class="confirm">
          <EffectPreview result={pending.result} title={`${pending.kind === 'put' ? 'Saving' : 'Deleting'} role ${pending.role} would change`} />
          <button type="button" onClick={apply}>
            {pending.kind === 'put' ? 'Apply role change' : 'Delete role'}
          </button>
          <button type="button" class="secondary" onClick={() => setPending(undefined)}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
