import { allPages, useAsync } from '../useAsync';
import type { Realmgate } from '@realmgate/client';

/** A select of the realm's orgs. */
export function OrgPicker(props: { id: string; label: string; client: Realmgate; realm: string; value: string; onChange: (org: string) => void; realmLevel?: boolean }) {
  const api = props.client.realm(props.realm);
  const orgs = useAsync(() => allPages((cursor) => api.orgs({ cursor }).then((p) => ({ items: p.orgs, next: p.next }))), [props.realm]);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.realmLevel ? '(realm level)' : 'Choose an org'}</option>
        {orgs.data?.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}
