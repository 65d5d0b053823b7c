import { useEffect, useState } from 'preact/hooks';
import type { ChangeEvent } from '@realmgate/client';
import { describeError } from '../format';
import type { RealmProps } from './RealmView';

const KEPT = 200;

function summary(e: ChangeEvent): string {
  const d = e.data as Record<string, unknown>;
  const parts = ['user', 'org', 'role', 'state'].filter((k) => d[k] !== undefined && d[k] !== null).map((k) => `${k} ${String(d[k])}`);
  if (Array.isArray(d.roles) && d.roles.length) parts.push(`roles ${d.roles.join(', ')}`);
  if (Array.isArray(d.permissions) && d.permissions.length) parts.push(`permissions ${d.permissions.join(', ')}`);
  if (d.reason) parts.push(`reason ${String(d.reason)}`);
  return parts.join(' · ');
}

/** The realm's change stream (Server-Sent Events), newest first, from the moment the view opens. */
export function Live({ session, realm }: RealmProps) {
  const [events, setEvents] = useState<ChangeEvent[]>([]);
  const [status, setStatus] = useState('connecting');
  useEffect(() => {
    const stop = new AbortController();
    const api = session.client.realm(realm);
    (async () => {
      try {
        const { revision } = await api.get();
        setStatus(`watching from revision ${revision}`);
        for await (const event of api.watch({ after: revision, signal: stop.signal })) {
          setEvents((list) => [event, ...list].slice(0, KEPT));
        }
      } catch (err) {
        if (!stop.signal.aborted) setStatus(`stopped: ${describeError(err)}`);
      }
    })();
    return () => stop.abort();
  }, [realm]);
  return (
    <section aria-labelledby="live-title">
      <h2 id="live-title">Live changes</h2>
      <p role="status" data-testid="live-status">
        {status}
      </p>
      <ol class="events" aria-live="polite" aria-label="Changes, newest first" data-testid="events">
        {events.map((e) => (
          <li key={e.id}>
            <span class="badge">{e.type}</span> <span>{summary(e)}</span>{' '}
            <span class="hint">
              revision {e.revision} · <time dateTime={e.occurredAt}>{new Date(e.occurredAt).toLocaleTimeString()}</time>
            </span>
          </li>
        ))}
      </ol>
      {events.length === 0 && <p class="hint">No changes since this view opened.</p>}
    </section>
  );
}
