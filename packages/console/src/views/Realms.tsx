import { useState } from 'preact/hooks';
import type { RealmSummary } from '@realmgate/client';
import { describeError } from '../format';
import { Link } from '../route';
import type { Session } from '../session';
import { useAsync } from '../useAsync';

/** Every realm the token reaches, with its counts: all of them for the admin token, its own for a realm token. */
export function Realms({ session }: { session: Session }) {
  const { client, reach } = session;
  const realms = useAsync<RealmSummary[]>(async () => {
    const names = reach.kind === 'admin' ? (await client.state()).realms : [reach.realm as string];
    return Promise.all(names.map((name) => client.realm(name).get()));
  }, []);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  return (
    <section aria-labelledby="realms-title">
      <h1 id="realms-title">Realms</h1>
      {realms.error && <p class="error" role="alert">{realms.error}</p>}
      <div class="scroll" tabIndex={0} role="region" aria-label="Realms table">
        <table>
          <thead>
            <tr>
              <th scope="col">Realm</th>
              <th scope="col">Orgs</th>
              <th scope="col">Users</th>
              <th scope="col">Memberships</th>
              <th scope="col">Roles</th>
              <th scope="col">Revision</th>
            </tr>
          </thead>
          <tbody>
            {realms.data?.map((r) => (
              <tr key={r.realm}>
                <th scope="row">
                  <Link to={{ realm: r.realm }}>{r.realm}</Link>
                </th>
                <td>{r.orgs}</td>
                <td>{r.users}</td>
                <td>{r.memberships}</td>
                <td>{r.roles.length}</td>
                <td>{r.revision}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {realms.data?.length === 0 && <p>No realms yet.</p>}
      {reach.kind === 'admin' && (
        <form
          class="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await client.realm(name).create();
              setName('');
              setError(undefined);
              realms.reload();
            } catch (err) {
              setError(describeError(err));
            }
          }}
        >
          <label for="new-realm">New realm</label>
          <input id="new-realm" value={name} required onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit">Create realm</button>
          {error && <p class="error" role="alert">{error}</p>}
        </form>
      )}
    </section>
  );
}
