import { useState } from 'preact/hooks';
import { can } from '../session';
import { isWildcard, splitList } from '../tags';
import { useAsync } from '../useAsync';
import { usePreviewedWrite } from '../usePreviewedWrite';
import { ConfirmWrite } from './EffectPreview';
import type { RealmProps } from './RealmView';
import { TagInput, tagsValid } from './TagInput';

/** The realm's roles, the template every org shares; each edit is previewed (a dry run) before it is applied. */
export function Roles({ session, realm }: RealmProps) {
  const api = session.client.realm(realm);
  const summary = useAsync(() => api.get(), [realm]);
  const [role, setRole] = useState('');
  const [tags, setTags] = useState('');
  const writable = can(session.reach, 'write', realm);
  const { pending, error, notice, preview, confirm, cancel } = usePreviewedWrite(() => summary.reload());

  const previewPut = (name: string, permissions: string[]) =>
    preview(
      {
        title: `Saving role ${name} would change`,
        confirmLabel: 'Apply role change',
        apply: () => api.putRole(name, permissions),
        done: (revision) => `Role ${name} saved at revision ${revision}.`,
      },
      () => api.putRole(name, permissions, { dryRun: true }),
    );
  const previewDelete = (name: string) =>
    preview(
      {
        title: `Deleting role ${name} would change`,
        confirmLabel: 'Delete role',
        apply: () => api.deleteRole(name),
        done: (revision) => `Role ${name} deleted at revision ${revision}.`,
      },
      () => api.deleteRole(name, { dryRun: true }),
    );
  const edit = (name: string, permissions: string[]) => {
    setRole(name);
    setTags(permissions.join('\n'));
    cancel();
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
                    <button type="button" class="secondary" aria-label={`Delete role ${r.name}`} onClick={() => previewDelete(r.name)}>
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
            void previewPut(role.trim(), splitList(tags));
          }}
        >
          <h3>Define or change a role</h3>
          <div class="field">
            <label for="role-name">Role name</label>
            <input id="role-name" value={role} required onInput={(e) => (setRole(e.currentTarget.value), cancel())} />
          </div>
          <TagInput id="role-permissions" label="Permissions" value={tags} onInput={(v) => (setTags(v), cancel())} />
          <button type="submit" disabled={role.trim() === '' || !tagsValid(tags)}>
            Preview changes
          </button>
        </form>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      {pending && <ConfirmWrite pending={pending} onConfirm={confirm} onCancel={cancel} />}
    </section>
  );
}
