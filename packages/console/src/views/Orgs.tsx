import { useState } from 'preact/hooks';
import { describeError } from '../format';
import { can } from '../session';
import { allPages, useAsync } from '../useAsync';
import type { RealmProps } from './RealmView';

export function Orgs({ session, realm }: RealmProps) {
  const api = session.client.realm(realm);
  const orgs = useAsync(() => allPages((cursor) => api.orgs({ cursor }).then((p) => ({ items: p.orgs, next: p.next }))), [realm]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const writable = can(session.reach, 'write', realm);
  return (
    <section aria-labelledby="orgs-title">
      <h2 id="orgs-title">Orgs</h2>
      {!writable && <p class="hint">Read only: this token lacks the write scope.</p>}
      {orgs.error && <p class="error" role="alert">{orgs.error}</p>}
      <ul class="names">{orgs.data?.map((o) => <li key={o}>{o}</li>)}</ul>
      {orgs.data?.length === 0 && <p>No orgs yet.</p>}
      {writable && (
        <form
          class="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await api.putOrg(name);
              setName('');
              setError(undefined);
              orgs.reload();
            } catch (err) {
              setError(describeError(err));
            }
          }}
        >
          <label for="new-org">New org</label>
          <input id="new-org" value={name} required onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit">Create org</button>
          {error && <p class="error" role="alert">{error}</p>}
        </form>
      )}
    </section>
  );
}
