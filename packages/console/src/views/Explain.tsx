import { useState } from 'preact/hooks';
import type { Decision, EffectivePermissions } from '@realmgate/client';
import { describeError, reasonText } from '../format';
import { can } from '../session';
import { isWildcard, TAG_PATTERN } from '../tags';
import { OrgPicker } from './OrgPicker';
import type { RealmProps } from './RealmView';

interface Explained {
  decision: Decision;
  /** the membership's roles and grants, when the token may read them */
  membership?: EffectivePermissions;
  subject: string;
  org: string | null;
  permission: string;
}

/** A check, with the path that decided it: membership, then role, then the grant that matched; or why it was denied. */
export function Explain({ session, realm }: RealmProps) {
  const { client, reach } = session;
  const [subject, setSubject] = useState('');
  const [org, setOrg] = useState('');
  const [permission, setPermission] = useState('');
  const [answer, setAnswer] = useState<Explained>();
  const [error, setError] = useState<string>();
  const readable = can(reach, 'read', realm);
  const permissionOk = permission === '' || TAG_PATTERN.test(permission);

  const explain = async () => {
    const where = org === '' ? null : org;
    try {
      const decision = await client.check({ realm, subject, org: where, permission });
      let membership: EffectivePermissions | undefined;
      if (readable) membership = await client.permissions(subject, { realm, ...(where ? { org: where } : {}) }).catch(() => undefined);
      setAnswer({ decision, membership, subject, org: where, permission });
      setError(undefined);
    } catch (err) {
      setAnswer(undefined);
      setError(describeError(err));
    }
  };

  return (
    <section aria-labelledby="explain-title">
      <h2 id="explain-title">Explain a decision</h2>
      {readable ? (
        <OrgPicker id="explain-org" label="Org" client={client} realm={realm} value={org} onChange={setOrg} realmLevel />
      ) : (
        <div class="field">
          <label for="explain-org">Org (empty for realm level)</label>
          <input id="explain-org" value={org} onInput={(e) => setOrg(e.currentTarget.value)} />
        </div>
      )}
      <form
        class="editor"
        aria-label="Explain a decision"
        onSubmit={(e) => {
          e.preventDefault();
          void explain();
        }}
      >
        <div class="field">
          <label for="explain-subject">Subject (user)</label>
          <input id="explain-subject" required value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="explain-permission">Permission</label>
          <input
            id="explain-permission"
            required
            value={permission}
            aria-invalid={!permissionOk}
            aria-describedby="explain-permission-help"
            onInput={(e) => setPermission(e.currentTarget.value)}
          />
          <p id="explain-permission-help" class={permissionOk ? 'hint' : 'error'}>
            {permissionOk ? 'A literal permission, such as orders:read; a * in it is a plain character.' : 'Only letters, digits and * : ; . _ - (at most 62).'}
          </p>
        </div>
        <button type="submit" disabled={subject === '' || permission === '' || !permissionOk}>
          Explain
        </button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {answer && <Decided answer={answer} />}
    </section>
  );
}

function Decided({ answer }: { answer: Explained }) {
  const { decision, membership, subject, org, permission } = answer;
  const where = org ?? 'the realm level';
  const match = decision.match;
  return (
    <section class={`decision ${decision.allowed ? 'allowed' : 'denied'}`} aria-live="polite" data-testid="decision">
      <h3>
        {decision.allowed ? 'Allowed' : 'Denied'}: {subject} / {where} / <code>{permission}</code>
      </h3>
      <p>
        Reason <code>{decision.reason}</code>: {reasonText(decision.reason)} (revision {decision.revision}).
      </p>
      {decision.allowed && match ? (
        <ol class="path" aria-label="Decision path">
          <li>
            <strong>Membership</strong> of {match.user} in {match.org ?? 'the realm level'}
            {membership?.expiresAt ? `, expiring ${membership.expiresAt}` : ''}
          </li>
          <li>
            <strong>Role</strong>: {match.role === null ? 'none, a direct grant' : match.role}
          </li>
          <li>
            <strong>Grant</strong> <code>{match.grant}</code>
            {isWildcard(match.grant) ? ` (a wildcard matching ${permission})` : ''}
          </li>
        </ol>
      ) : (
        <div class="why">
          {membership && membership.effective && (
            <>
              <p>
                The membership in {where} holds roles {membership.roles.length ? membership.roles.join(', ') : '(none)'} and these grants, none of which matches{' '}
                <code>{permission}</code>:
              </p>
              <p>
                {membership.permissions.length === 0
                  ? '(no grants)'
                  : membership.permissions.map((p) => (
                      <code key={p} class={isWildcard(p) ? 'tag wildcard' : 'tag'}>
                        {p}
                      </code>
                    ))}
              </p>
            </>
          )}
        </div>
      )}
    </section>
  );
}
