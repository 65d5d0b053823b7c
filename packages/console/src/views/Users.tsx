import { useState } from 'preact/hooks';
import { describeError } from '../format';
import { can } from '../session';
import { allPages, useAsync } from '../useAsync';
import type { RealmProps } from './RealmView';

export function Users({ session, realm }: RealmProps) {
  const api = session.client.realm(realm);
  const users = useAsync(() => allPages((cursor) => api.users({ cursor }).then((p) => ({ items: p.users, next: p.next }))), [realm]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const writable = can(session.reach, 'write', realm);
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(undefined);
      users.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {!writable && <p class="hint">Read only: this token lacks the write scope.</p>}
      {users.error && <p class="error" role="alert">{users.error}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      <div class="scroll" tabIndex={0} role="region" aria-label="Users table">
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">State</th>
              {writable && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.user} data-user={u.user}>
                <th scope="row">{u.user}</th>
                <td>
                  <span class={`badge ${u.state}`}>{u.state}</span>
                </td>
                {writable && (
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={`${u.state === 'active' ? 'Disable' : 'Enable'} ${u.user}`}
                      onClick={() => act(() => api.putUser(u.user, { state: u.state === 'active' ? 'disabled' : 'active' }))}
                    >
                      {u.state === 'active' ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {writable && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api.putUser(name);
              setName('');
            });
          }}
        >
          <label for="new-user">New user</label>
          <input id="new-user" value={name} required onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit">Create user</button>
        </form>
      )}
    </section>
  );
}
