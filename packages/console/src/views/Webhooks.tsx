import { useState } from 'preact/hooks';
import type { Delivery } from '@realmgate/client';
import { describeError } from '../format';
import { useAsync } from '../useAsync';
import type { RealmProps } from './RealmView';

/** The realm's webhooks, and a chosen one's deliveries with a button to queue each again. */
export function Webhooks({ session, realm }: RealmProps) {
  const hooks = session.client.realm(realm).webhooks;
  const list = useAsync(() => hooks.list(), [realm]);
  const [chosen, setChosen] = useState<string>();
  const deliveries = useAsync<Delivery[]>(() => (chosen ? hooks.deliveries(chosen, { limit: 100 }) : Promise.resolve([])), [realm, chosen]);
  const [error, setError] = useState<string>();
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      {list.error && <p class="error" role="alert">{list.error}</p>}
      {list.data?.length === 0 && <p>No webhooks in this realm.</p>}
      <ul class="names">
        {list.data?.map((w) => (
          <li key={w.id}>
            <button type="button" class="secondary" aria-pressed={chosen === w.id} onClick={() => setChosen(w.id)}>
              {w.url}
            </button>{' '}
            <span class={`badge ${w.enabled ? 'active' : 'disabled'}`}>{w.enabled ? 'enabled' : 'paused'}</span> <span class="hint">{w.events.join(', ')}</span>
          </li>
        ))}
      </ul>
      {error && <p class="error" role="alert">{error}</p>}
      {chosen && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Deliveries table">
          <table>
            <caption>Deliveries of {chosen}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Retry</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data?.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.eventType} <span class="hint">{d.eventId}</span>
                  </td>
                  <td>
                    <span class={`badge ${d.status}`}>{d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.lastStatusCode ?? d.lastError ?? '—'}</td>
                  <td>{d.nextAttemptAt ?? '—'}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={`Retry delivery ${d.id}`}
                      onClick={async () => {
                        try {
                          await hooks.retryDelivery(chosen, d.id);
                          setError(undefined);
                          deliveries.reload();
                        } catch (err) {
                          setError(describeError(err));
                        }
                      }}
                    >
                      Retry
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
